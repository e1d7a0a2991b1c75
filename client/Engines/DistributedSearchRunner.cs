using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Client.Engines;

/// <summary>
/// Starts a distributed exhaustive search (<see cref="IDistributedSearchGrain"/>) and follows it to its end, reporting
/// the states as it goes. The search runs in the cluster; this side only polls, so a gateway lost with its silo costs a
/// poll (the next goes through another), where a single long call would have lost the answer with it; a coordinator
/// lost with its silo's directory entry is started again, as a lost campaign is. Cancelled, it stops the search and
/// returns the states searched so far (INCOMPLETE: cancelled).
/// </summary>
public static class DistributedSearchRunner
{
    static readonly TimeSpan PollWait = TimeSpan.FromMilliseconds(500);

    /// <summary>Coordinators lost before one finishes: each loss is a silo's, and a local cluster has few.</summary>
    const int MaxRestarts = 10;

    /// <summary>
    /// How long a stopped search is given to hand back its partial result. A call to a coordinator whose silo was lost
    /// behind its gateway is not failed but waits out its response timeout (dotnet/orleans#10165): past this, the stop
    /// ends the command without the states searched.
    /// </summary>
    static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    public static async Task<DistributedSearch> RunAsync(IGrainFactory grains, ScenarioSpec scenario, TimeSpan? timeout, int partitions,
        IProgress<ExploreProgress>? progress, CancellationToken cancel, bool firstViolation = false)
    {
        var search = grains.GetGrain<IDistributedSearchGrain>(Guid.NewGuid());
        await search.Start(scenario, timeout, partitions, firstViolation).WaitAsync(cancel);
        bool stopping = false;
        int restarts = 0;
        long stopAsked = 0;
        for (int failures = 0; ;)
        {
            if (cancel.IsCancellationRequested)
            {
                if (stopAsked == 0) stopAsked = Environment.TickCount64;
                else if (Environment.TickCount64 - stopAsked > StopGrace.TotalMilliseconds)
                {
                    Console.Error.WriteLine($"the search's coordinator gave no partial result within {StopGrace.TotalSeconds:0} s of the stop");
                    throw new OperationCanceledException(cancel);
                }
                if (!stopping)
                    try
                    {
                        var stop = search.Stop();
                        StoppableCall.Observe(stop);
                        await stop.WaitAsync(StopGrace);
                        stopping = true;
                    }
                    catch (Exception e) when (e is OrleansException or TimeoutException) { continue; }
            }
            SearchStatus s;
            try
            {
                // A stop is sent at once, not after the poll's wait: the call is left to end by itself.
                var poll = search.Poll(PollWait);
                StoppableCall.Observe(poll);
                if (!stopping)
                    try { await poll.WaitAsync(GatewayWatch.CallLimit, cancel); }
                    catch (OperationCanceledException) when (cancel.IsCancellationRequested) { continue; }
                s = await (stopping ? poll.WaitAsync(StopGrace) : poll);
                failures = 0;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                GatewayWatch.Retry(grains, ref failures, e);
                await Task.Delay(PollWait, CancellationToken.None);
                continue;
            }
            if (!s.Started)
            {
                // A fresh activation answered: the coordinator's directory entry went with a lost silo (or the coordinator
                // did). Start the search again there; the orphaned one, if it still runs, is refused leave by this one
                // and ends. After a stop, the new search is stopped at once and gives its (small) partial result.
                if (++restarts > MaxRestarts) throw new InvalidOperationException($"the search's coordinator was lost {restarts} times");
                await search.Start(scenario, timeout, partitions, firstViolation);
                stopping = false;
                continue;
            }
            if (s.Error is not null) throw new InvalidOperationException($"the search failed: {s.Error}");
            progress?.Report(new ExploreProgress(s.States, s.Result?.Search.States ?? 0, s.Result?.Search.Result.ViolationsByKind.Values.Sum() ?? s.Violations, s.States)
                { Again = s.Again });
            if (s.Result is { } r)
            {
                await search.Close();
                return r with { Restarts = r.Restarts + restarts };
            }
        }
    }
}
