using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// Two waits that each end only through the other's timeout: without the valid map's dma_wmb the SMMU runs a slot
/// before its command lands, so cpu0's CMD_SYNC never completes while cpu0 holds the CMDQ lock, and the suspend's
/// quiesce waits for that lock. Once nothing else can happen both timeouts are due and either may fire first: the
/// suspend's drain-timeout (random runs find it) or the CMD_SYNC's. The search judged each wait able to end through
/// the other's timeout and reported neither kind for it; a state where a thread's own timeout ends its wait is now one
/// where that wait times out.
/// </summary>
[Trait("Suite", "Search")]
public sealed class MutualTimeoutTests
{
    [Fact]
    public void A_wait_ended_only_by_another_threads_timeout_still_times_out()
    {
        var model = Scenarios.Shipped("reviewer-race.json", "as-posted", "valid-barrier=none");
        var search = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, workers: 2);
        Assert.True(search.Exhausted, search.IncompleteReason);
        var kinds = search.Result.ViolationsByKind.Keys.ToHashSet();
        Assert.Contains(ViolationKind.DrainTimeout, kinds);
        Assert.Contains(ViolationKind.SyncTimeout, kinds);
        Assert.Subset(kinds, RandomBatch.Run(model, 1, 0, 20000).ViolationsByKind.Keys.ToHashSet());
        // The witness replays to a state where the suspend's drain can only time out, checked afresh there.
        Searched.WitnessReplays(model, search, ViolationKind.DrainTimeout);
    }
}
