using Microsoft.Extensions.Logging;
using SmmuActors.Contracts;
using SmmuActors.Grains.Hosting;
using SmmuActors.Grains.Placement;
using SmmuActors.Model.Exploration;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Hosts one <see cref="SearchPartition"/>. Its work is CPU-bound for as long as the search lasts, so it runs on a
/// thread of its own rather than in grain turns (which would hold the silo's scheduler) or on the thread pool (which
/// Orleans' networking and timers need). The grain's methods only hand batches in and reports out, under one lock.
/// Batches to other partitions are grain calls, a bounded number in flight; the coordinator's leave to admit states
/// is asked for with a call the thread waits on. Placed by index over the silos, so each silo hosts its share.
/// Collected after two minutes without calls (the least Orleans takes above its one-minute collection quantum) rather
/// than its default quarter of an hour: the coordinator polls a live partition every few milliseconds, and one whose
/// coordinator was lost with its silo holds its whole visited set until it is collected.
/// </summary>
[LanePlacement, CollectionAgeLimit(Minutes = 2)]
public sealed class SearchPartitionGrain(ILogger<SearchPartitionGrain> log) : Grain, ISearchPartitionGrain
{
    /// <summary>Batches in flight from one partition: enough to keep every peer fed, few enough to bound the memory they hold.</summary>
    const int MaxInFlight = 16;

    /// <summary>Partitions started in this silo process and not yet deactivated.</summary>
    static int s_live;

    readonly object _gate = new();
    readonly Queue<byte[]> _inbox = new();
    readonly Queue<byte[]> _revisits = new();
    readonly List<PartitionDelta> _reports = [];
    SearchPartition? _partition;
    ISearchPartitionGrain[] _peers = [];
    IDistributedSearchGrain? _coordinator;
    string _attempt = "";
    Thread? _thread;
    readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    long _sent, _received, _entries, _bytes;
    int _inFlight;
    bool _busy, _stop;
    string? _error;

    public Task Start(PartitionStart start)
    {
        if (_partition is not null) return Task.CompletedTask;
        int index = (int)this.GetPrimaryKeyLong(out _);
        _attempt = start.Attempt;
        _partition = new SearchPartition(start.Scenario.Build(), index, start.Partitions, start.MaxDepth, start.FirstViolation);
        Interlocked.Increment(ref s_live);
        _peers = Enumerable.Range(0, start.Partitions).Select(i => GrainFactory.GetGrain<ISearchPartitionGrain>(i, start.Attempt)).ToArray();
        _coordinator = GrainFactory.GetGrain<IDistributedSearchGrain>(start.Search);
        _busy = true;
        _thread = new Thread(Run) { IsBackground = true, Name = $"search partition {index}" };
        _thread.Start();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Queued even before <see cref="Start"/>: a peer started first may send before this one is. A new activation
    /// standing in for a partition lost with its silo is never started, and says so when polled.
    /// </summary>
    public Task Receive(FrontierBatch batch)
    {
        lock (_gate)
        {
            _inbox.Enqueue(batch.Data);
            _received++;
            Monitor.PulseAll(_gate);
        }
        return Task.CompletedTask;
    }

    public Task Revisit(byte[] states)
    {
        lock (_gate)
        {
            _revisits.Enqueue(states);
            Monitor.PulseAll(_gate);
        }
        return Task.CompletedTask;
    }

    public Task<PartitionReport> Poll()
    {
        lock (_gate)
        {
            var delta = _reports.Count == 0 ? PartitionDelta.Empty((int)this.GetPrimaryKeyLong(out _)) : _reports.Aggregate((a, b) => a.Then(b));
            _reports.Clear();
            // Stopped, batches still arriving are never taken in: it is idle all the same.
            bool idle = !_busy && (_inbox.Count == 0 && _revisits.Count == 0 || _stop || _error is not null);
            return Task.FromResult(new PartitionReport(_partition is not null, idle, _sent, _received, delta, this.SiloName(), _error,
                _entries, _bytes, _partition?.Replayed ?? 0));
        }
    }

    public Task Stop()
    {
        lock (_gate)
        {
            _stop = true;
            Monitor.PulseAll(_gate);
        }
        return Task.CompletedTask;
    }

    public async Task Retire()
    {
        await Stop();
        DeactivateOnIdle();
    }

    /// <summary>Waits, without blocking the silo's scheduler, for the thread to see the stop (it does so between rounds).</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await Stop();
        if (_thread is null) return;
        try { await _ended.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken); }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            log.LogWarning("search partition of {Attempt} still running as it is deactivated", _attempt);
        }
        finally { HandBackMemory(); }
    }

    /// <summary>
    /// The partition's visited set and logs, up to gigabytes, are garbage once its thread has ended (a thread still running
    /// keeps its own until it sees the stop). An idle silo makes too little garbage to collect again, so without a
    /// collection that gives memory back (as the local search has between its attempts, <see cref="StateSpaceSearch.Explore"/>)
    /// the process held it, about 0.7 GB after reviewer-race's largest search, for as long as it ran. Once the last
    /// partition in this process is gone, one such collection, off the grain's turn.
    /// </summary>
    void HandBackMemory()
    {
        lock (_gate)
        {
            _partition = null;
            _inbox.Clear();
            _revisits.Clear();
            _reports.Clear();
        }
        if (Interlocked.Decrement(ref s_live) == 0)
            _ = Task.Run(() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true));
    }

    void Run()
    {
        var partition = _partition!;
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    while (!_stop && _error is null && _inbox.Count == 0 && _revisits.Count == 0 && !partition.HasInbound && !partition.HasWork)
                    {
                        Publish(partition);
                        _busy = false;
                        Monitor.Wait(_gate);
                    }
                    if (_stop || _error is not null)
                    {
                        Publish(partition);
                        _busy = false;
                        return;
                    }
                    _busy = true;
                    while (_inbox.TryDequeue(out var batch)) partition.Enqueue(batch);
                    while (_revisits.TryDequeue(out var states)) partition.Revisit(states);
                }
                partition.Work(Leave, PartitionedSearch.Round);
                foreach (var (dest, batch, entries) in partition.TakeBatches())
                    if (dest == partition.Index) partition.Enqueue(batch);
                    else Send(dest, batch, entries);
                lock (_gate) Publish(partition);
            }
        }
        catch (Exception e)
        {
            log.LogError(e, "search partition {Partition} of {Attempt} failed", partition.Index, _attempt);
            lock (_gate)
            {
                _error ??= e.Message;
                _busy = false;
            }
        }
        finally
        {
            _ended.TrySetResult();
        }
    }

    long Leave() => _coordinator!.Grant(_attempt).GetAwaiter().GetResult();

    void Publish(SearchPartition partition) => _reports.Add(partition.TakeDelta());

    void Send(int dest, byte[] batch, int entries)
    {
        lock (_gate)
        {
            while (_inFlight >= MaxInFlight && !_stop && _error is null) Monitor.Wait(_gate);
            _inFlight++;
            _sent++;
            _entries += entries;
            _bytes += batch.Length;
        }
        _peers[dest].Receive(new FrontierBatch(batch)).ContinueWith(t =>
        {
            lock (_gate)
            {
                _inFlight--;
                if (t.Exception is { } e) _error ??= $"a batch to partition {dest} was lost: {e.GetBaseException().Message}";
                Monitor.PulseAll(_gate);
            }
        }, TaskScheduler.Default);
    }
}

/// <summary>
/// A partition of a distributed search was lost (its silo went, and a fresh activation stands in for it): the states
/// it owned are gone, so the coordinator starts the search again on the silos left. An OrleansException, as a lost silo's are.
/// </summary>
[GenerateSerializer, Alias("smmu.partition-lost")]
public sealed class PartitionLostException(string message) : OrleansException(message);
