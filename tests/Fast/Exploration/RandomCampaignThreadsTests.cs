using SmmuActors.Tests.Support;
using SmmuActors.Model.Exploration;

namespace SmmuActors.Tests.Exploration;

/// <summary>
/// The local engine's campaign workers hold their threads for the whole campaign. On the thread pool they would
/// leave a silo in the same process (bench runs the engines side by side) without threads for its timers until the
/// pool grew, which Orleans reports as "Thread Pool execution stalled".
/// </summary>
[Trait("Suite", "Fast")]
public class RandomCampaignThreadsTests
{
    /// <summary>Records, synchronously on the reporting thread, which threads reported.</summary>
    sealed class ThreadRecorder(Action<ExploreProgress>? then = null) : IProgress<ExploreProgress>
    {
        public readonly List<(int Id, bool Pool)> Threads = [];

        public void Report(ExploreProgress value)
        {
            lock (Threads) Threads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
            then?.Invoke(value);
        }
    }

    [Fact]
    public void Batches_run_on_threads_of_their_own_not_the_pool()
    {
        var model = Scenarios.Shipped("reviewer-race.json");
        var threads = new ThreadRecorder();
        var result = Explorer.Random(model, 3, 40_000, 2, threads, CancellationToken.None);
        Assert.Equal(40_000, result.Runs);
        Assert.Equal(20, threads.Threads.Count);
        Assert.DoesNotContain(threads.Threads, t => t.Pool);
        Assert.InRange(threads.Threads.Select(t => t.Id).Distinct().Count(), 1, 2);
    }

    [Fact]
    public void A_cancelled_campaign_keeps_the_batches_it_finished_and_the_runs_of_the_one_under_way()
    {
        var model = Scenarios.Shipped("reviewer-race.json");
        using var stop = new CancellationTokenSource();
        var threads = new ThreadRecorder(_ => stop.Cancel());
        var result = Explorer.Random(model, 3, 400_000, 2, threads, stop.Token);
        // The first batch merged cancels: the other worker's batch in progress stops at its run under way and is merged
        // with the runs it finished (RandomStopTests), where it was dropped whole; no batch starts after the stop.
        Assert.InRange(result.Runs, 2000, 4000);
        Assert.InRange(threads.Threads.Count, 1, 2);
    }

    [Fact]
    public void A_campaign_stopped_before_it_starts_runs_nothing()
    {
        var model = Scenarios.Shipped("reviewer-race.json");
        var result = Explorer.Random(model, 3, 400_000, 2, null, new CancellationToken(canceled: true));
        Assert.Equal(0, result.Runs);
    }
}
