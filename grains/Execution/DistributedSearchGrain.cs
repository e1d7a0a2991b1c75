using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SmmuActors.Contracts;
using SmmuActors.Grains.Hosting;
using SmmuActors.Grains.Placement;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Coordinates a distributed exhaustive search. It starts the partitions (one per core of every silo unless told how
/// many), hands out the maxStates bound (<see cref="StateAllowance"/>) and polls them in waves, gathering their reports
/// into the graph (<see cref="PartitionedGraph"/>). The search has ended when two waves in a row find every partition
/// idle with the same batch counts, and as many batches received as sent: nothing was in flight between the waves,
/// and no partition had work (the four-counter method). Then, as the local search does when its frontier empties, the
/// cycle proviso picks the states to expand again off the gathered graph and sends each to its owner, and the waves go on;
/// when there are none, the verdicts are read off the graph. Both run in a thread-pool task, so the long computation
/// holds no scheduler turn.
/// A partition lost with its silo loses the states it owned and the work queued there, which nothing else holds;
/// the coordinator then starts the whole search again on the silos left (a new attempt, new partition keys), so the
/// result is that of an undisturbed search. On the oldest silo, which in the local cluster holds the membership
/// table: any other silo may go.
/// </summary>
[OldestSiloPlacement]
public sealed class DistributedSearchGrain(ILogger<DistributedSearchGrain> log) : Grain, IDistributedSearchGrain
{
    static readonly TimeSpan Wave = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How long a stopped search waits for its partitions' last reports. A partition stops between rounds of work, and a
    /// round can take over a second (its visited set doubling in size); the result is wanted within a second of the stop,
    /// so it is drawn from the reports in by then, and what a partition did after them is not counted.
    /// </summary>
    static readonly TimeSpan LastReports = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Names this activation's partitions. After a silo loss the directory can briefly hold two activations of one
    /// search (the client starts it again on the new one); keyed by the search alone, their partitions would meet.
    /// </summary>
    readonly string _incarnation = Guid.NewGuid().ToString("N");
    readonly CancellationTokenSource _stop = new();
    readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    StateAllowance? _leave;
    string _attempt = "";
    PartitionedGraph? _graph;
    // The graph's counts after its last merge, for polls that come while the next one runs on the thread pool.
    (long States, long Violations) _soFar;
    StatesSoFar? _again;
    Task? _work;
    DistributedSearch? _result;
    string? _error;
    // Deactivated: no poll can reach this activation again, so its search is stopped and dropped, not concluded.
    bool _leaving;

    static readonly TimeSpan AbandonedByDefault = TimeSpan.FromMinutes(1);
    TimeSpan _abandonedAfter = AbandonedByDefault;
    long _lastPoll = Environment.TickCount64;

    public Task Start(ScenarioSpec scenario, TimeSpan? timeout, int partitions, bool firstViolation, TimeSpan? abandonedAfter)
    {
        _lastPoll = Environment.TickCount64;
        _abandonedAfter = abandonedAfter ?? AbandonedByDefault;
        // Runs on this activation's scheduler between requests, so Poll, Stop and Grant see its fields without locks.
        _work ??= Run(scenario, timeout, partitions, firstViolation);
        return Task.CompletedTask;
    }

    /// <summary>No poll for longer than the caller allowed: its client is gone (killed, say), and the search with it.</summary>
    bool Abandoned() => Environment.TickCount64 - _lastPoll > _abandonedAfter.TotalMilliseconds;

    void StopIfAbandoned()
    {
        if (_stop.IsCancellationRequested || !Abandoned()) return;
        log.LogWarning("distributed search {Search}: not polled for {Seconds} s, its caller is gone; stopping it",
            this.GetPrimaryKey(), _abandonedAfter.TotalSeconds);
        _stop.Cancel();
    }

    async Task Run(ScenarioSpec scenario, TimeSpan? timeout, int partitions, bool firstViolation)
    {
        try
        {
            var model = scenario.Build();
            _result = await Search(scenario, model, SearchLimits.For(model, timeout, firstViolation), partitions, Stopwatch.StartNew());
        }
        catch (Exception) when (_leaving) { }
        catch (Exception e)
        {
            log.LogError(e, "distributed search {Search} failed", this.GetPrimaryKey());
            _error = e.Message;
        }
        // The graph is large; the result is all that is kept.
        _graph = null;
        _ended.TrySetResult();
    }

    public async Task<SearchStatus> Poll(TimeSpan wait)
    {
        _lastPoll = Environment.TickCount64;
        if (_work is not null && !_ended.Task.IsCompleted) await Task.WhenAny(_ended.Task, Task.Delay(wait));
        return new SearchStatus(_work is not null, _result?.Search.States ?? (_graph is null ? (long?)null : _soFar.States) ?? _again?.States ?? 0, _result, _error,
            (_graph is null ? (long?)null : _soFar.Violations) ?? _again?.Violations ?? 0, Again: _again is not null);
    }

    public Task Close()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    async Task<DistributedSearch> Search(ScenarioSpec scenario, ScenarioModel model, SearchLimits limits, int partitions, Stopwatch clock)
    {
        long failingSince = 0;
        for (int attempt = 0; ; attempt++)
        {
            int p = partitions > 0 ? partitions : await ClusterWorkers.ForActiveSilosAsync(GrainFactory);
            try
            {
                return await Attempt(scenario, model, limits, p, attempt, clock);
            }
            catch (Exception e) when (SiloLossRetry.Transient(e) && !_stop.IsCancellationRequested && SiloLossRetry.StillTrying(ref failingSince))
            {
                log.LogWarning("distributed search {Search}: attempt {Attempt} lost a partition ({Reason}); starting again on the silos left",
                    this.GetPrimaryKey(), attempt, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 250 << Math.Min(attempt, 3))));
            }
            catch (Exception e) when (SiloLossRetry.Transient(e) && _stop.IsCancellationRequested)
            {
                // Stopped while the search was being started again: nothing of it stands.
                return new DistributedSearch(new ExhaustiveResult(new BatchResult(), 0, SearchLimits.Cancelled), 0, [], [], 0, 0, 0, 0, 0, attempt);
            }
        }
    }

    async Task<DistributedSearch> Attempt(ScenarioSpec scenario, ScenarioModel model, SearchLimits limits, int count, int attempt, Stopwatch clock)
    {
        string key = $"{this.GetPrimaryKey():N}-{_incarnation}-{attempt}";
        var graph = new PartitionedGraph(model, count);
        (_attempt, _leave, _graph, _soFar) = (key, new StateAllowance(limits.MaxStates, count), graph, (0, 0));
        var partitions = Enumerable.Range(0, count).Select(i => GrainFactory.GetGrain<ISearchPartitionGrain>(i, key)).ToArray();
        try
        {
            var start = new PartitionStart(scenario, count, limits.MaxDepth, this.GetPrimaryKey(), key, limits.FirstViolation);
            await Task.WhenAll(partitions.Select(p => p.Start(start)));
            PartitionReport[]? previous = null;
            string? stopped = null;
            var stopping = new Stopwatch();
            while (true)
            {
                if (stopped is null) StopIfAbandoned();
                if (stopped is null && (_stop.IsCancellationRequested || clock.Elapsed > limits.Timeout))
                {
                    stopped = _stop.IsCancellationRequested ? SearchLimits.Cancelled : limits.TimeoutReason;
                    stopping.Start();
                    await Task.WhenAll(partitions.Select(p => p.Stop()));
                }
                var wave = await Task.WhenAll(partitions.Select(p => p.Poll()));
                foreach (var r in wave)
                {
                    if (!r.Started) throw new PartitionLostException($"partition {r.Delta.Partition} was lost with its silo");
                    if (r.Error is not null) throw new PartitionLostException($"partition {r.Delta.Partition} failed: {r.Error}");
                }
                // Off this activation's scheduler: a wave of a large search takes seconds to merge, a turn long enough for
                // Orleans to warn of it on the console. Polls meanwhile read the counts kept after the last merge.
                await Task.Run(() =>
                {
                    foreach (var r in wave) graph.Add(r.Delta);
                });
                _soFar = (graph.States, graph.ViolationsSoFar);
                bool revisited = false;
                if (stopped is not null ? Quiet(wave) || stopping.Elapsed > LastReports : Ended(previous, wave))
                {
                    // Stopped and quiet, the partitions are retired by the finally; what they found is for no one.
                    if (_leaving) throw new OperationCanceledException("the search's coordinator was deactivated");
                    if (stopped is not null) return await Conclude(graph, limits, stopped, wave, attempt);
                    if (graph.CutAtStates || graph.CutAtDepth) break;
                    var breakers = await Task.Run(graph.CycleBreakers);
                    if (breakers.All(b => b.Length == 0)) return await Conclude(graph, limits, stopped, wave, attempt);
                    await Task.WhenAll(Enumerable.Range(0, count).Where(i => breakers[i].Length > 0).Select(i => partitions[i].Revisit(breakers[i])));
                    revisited = true;
                }
                // The revisited partitions are busy before the next wave: the end is detected afresh.
                previous = revisited ? null : wave;
                try { await Task.Delay(Wave, _stop.Token); }
                catch (OperationCanceledException) { }
            }
        }
        finally
        {
            foreach (var p in partitions) _ = p.Retire().ContinueWith(t => t.Exception, TaskScheduler.Default);
        }
        // Cut by a bound: the partitions, retired, give their memory back before the search runs again.
        return await Again(model, limits, attempt, clock.Elapsed);
    }

    /// <summary>
    /// Every partition idle and every batch sent received: retired before then, a partition a batch was still on its way to
    /// would be activated afresh by it, and kept, idle, until collected.
    /// </summary>
    static bool Quiet(PartitionReport[] wave) => wave.All(r => r.Idle) && wave.Sum(r => r.Sent) == wave.Sum(r => r.Received);

    /// <summary>Two waves in a row with every partition idle and the same batch counts, every batch sent received.</summary>
    static bool Ended(PartitionReport[]? previous, PartitionReport[] wave) =>
        previous is not null && wave.All(r => r.Idle) && previous.All(r => r.Idle) &&
        wave.Sum(r => r.Sent) == wave.Sum(r => r.Received) &&
        wave.Zip(previous).All(x => x.First.Sent == x.Second.Sent && x.First.Received == x.Second.Received);

    /// <summary>
    /// A bound cut the search, and which states it let in (maxStates), or by which path each state was first reached
    /// (maxSteps), depended on the order the partitions took them in, which timing decides: so the search is run again
    /// here on one worker, whose order is fixed, as the local engine runs again on one (<see cref="StateSpaceSearch.Explore"/>).
    /// The answer is then the same every time, and the local engine's. It runs on the thread pool, this activation's
    /// scheduler free for polls, which see its states (<see cref="_again"/>); a stop, a lost caller or the rest of
    /// --timeout's budget ends it.
    /// </summary>
    async Task<DistributedSearch> Again(ScenarioModel model, SearchLimits limits, int attempt, TimeSpan spent)
    {
        _graph = null;
        var again = _again = new StatesSoFar();
        // --timeout's budget is the whole search's, the partitioned attempt's time included.
        var search = Task.Run(() => StateSpaceSearch.Explore(model, limits, again, _stop.Token, spent: spent));
        while (await Task.WhenAny(search, Task.Delay(Wave)) != search) StopIfAbandoned();
        var result = await search;
        if (_leaving) throw new OperationCanceledException("the search's coordinator was deactivated");
        string silo = this.SiloName();
        return new DistributedSearch(result with { Again = true }, 1, new() { [silo] = 1 }, new() { [silo] = result.States }, 0, 0, 0, 0, 0, attempt);
    }

    /// <summary>The states and violating transitions a search run again here has reported so far, for <see cref="Poll"/> on another thread.</summary>
    sealed class StatesSoFar : IProgress<ExploreProgress>
    {
        long _states, _violations;
        public long States => Volatile.Read(ref _states);
        public long Violations => Volatile.Read(ref _violations);

        public void Report(ExploreProgress p)
        {
            Volatile.Write(ref _states, p.States);
            Volatile.Write(ref _violations, p.Violations);
        }
    }

    async Task<DistributedSearch> Conclude(PartitionedGraph graph, SearchLimits limits, string? stopped, PartitionReport[] last, int attempt)
    {
        var result = await Task.Run(() => graph.Conclude(limits, stopped));
        var bySilo = last.Select((r, i) => (r.Silo, States: (long)graph.StatesByPartition[i])).GroupBy(x => x.Silo).ToList();
        return new DistributedSearch(result, last.Length, bySilo.ToDictionary(g => g.Key, g => g.Count()), bySilo.ToDictionary(g => g.Key, g => g.Sum(x => x.States)),
            last.Sum(r => r.Sent), last.Sum(r => r.Entries), last.Sum(r => r.Bytes), graph.Bytes, last.Sum(r => r.Replayed), attempt);
    }

    public Task Stop()
    {
        _stop.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Deactivated mid-search (its silo shutting down gracefully, or Orleans collecting it): the search stops at its next
    /// wave and its partitions are retired, without waiting for them. A poll then reaches a fresh activation, which says
    /// it was never started, and the client starts the search again there.
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _leaving = true;
        _stop.Cancel();
        return Task.CompletedTask;
    }

    public Task<long> Grant(string attempt) => Task.FromResult(attempt == _attempt && _leave is not null ? _leave.Grant() : 0);
}
