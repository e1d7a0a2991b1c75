using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// Under drain=sync the suspend drains by a CMD_SYNC of its own. When that CMD_SYNC can never complete, the search
/// decides the wait as the drain's (DriverThread.Waiting) and reports drain-timeout; random runs reported the same
/// timeout as a sync-timeout, a kind the search never named for this workload (found by a sweep of drawn workloads).
/// Here cpu0 commits before STOP, the SMMU is disabled before its doorbell lands, and nothing resumes it.
/// </summary>
[Trait("Suite", "Search")]
public sealed class DrainBySyncTimeoutTests
{
    [Fact]
    public void The_drains_cmd_sync_timing_out_is_a_drain_timeout_in_random_runs_as_in_the_search()
    {
        var model = SmallScenarios.Build(SmallScenarios.LoadThenUnmapWhileSuspending, "drain-by-sync", "loads=armv8", "owner-prod-store=relaxed");
        var search = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, workers: 2);
        Assert.True(search.Exhausted, search.IncompleteReason);
        Assert.Contains(ViolationKind.DrainTimeout, search.Result.ViolationsByKind.Keys);
        Assert.DoesNotContain(ViolationKind.SyncTimeout, search.Result.ViolationsByKind.Keys);

        var random = RandomBatch.Run(model, 5, 0, 20000);
        Assert.Subset(search.Result.ViolationsByKind.Keys.ToHashSet(), random.ViolationsByKind.Keys.ToHashSet());
        var run = Scenarios.Random(model, RandomStrategy.RunSeed(5, random.Witnesses[ViolationKind.DrainTimeout].RunIndex));
        Assert.Contains(run.Violations, v => v.Kind == ViolationKind.DrainTimeout && v.Detail == "pm's suspend: the drain's CMD_SYNC at 2/w0 did not complete within 1 s");
    }
}
