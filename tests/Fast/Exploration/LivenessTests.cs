using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Exploration;

/// <summary>
/// The time-based verdicts on small hand-built graphs (docs/model.md, "Liveness"): a thread's wait can end in a state
/// when a path from it reaches an edge that ends the wait without crossing the thread's own timeout, and never in a state
/// where its own timeout fires, even where another thread's timeout would let it end. (The same on reviewer-race:
/// MutualTimeoutTests, a search test.)
/// </summary>
[Trait("Suite", "Fast")]
public sealed class LivenessTests
{
    const int None = -1, T0 = 0, T1 = 1;

    /// <summary>A graph of two threads and <paramref name="states"/> states, with edges (from, to, the wait it ends, the wait whose timeout it is).</summary>
    static bool[][] Ends(int states, params (int From, int To, int Completes, int TimesOut)[] edges)
    {
        var graph = new StateGraph(2);
        for (int s = 0; s < states; s++) graph.Add(-1, 0, 1, 0, [0, 0], ((ulong)s, 1));
        int pick = 0;
        foreach (var (from, to, completes, timesOut) in edges) graph.AddEdge(from, to, completes, timesOut, pick++, edges.Length);
        return Liveness.Ends(graph);
    }

    /// <summary>
    /// The wait's own timeout is no way for it to end: a CMD_SYNC answered only after its 1 s timeout fired
    /// (ARM_SMMU_POLL_TIMEOUT_US) has timed out, a sync-timeout, even if the completion comes later.
    /// </summary>
    [Fact]
    public void A_wait_answered_only_past_its_own_timeout_can_never_end()
    {
        // 0 -> 1 another delivery; 1 -> 2 thread 0's timeout; 2 -> 3 its completion, too late.
        var ends = Ends(4, (0, 1, None, None), (1, 2, None, T0), (2, 3, T0, None));
        Assert.False(ends[T0][0], "the wait counted as able to end through its own timeout");
        Assert.False(ends[T0][1]);
        Assert.True(ends[T0][2]);
    }

    /// <summary>
    /// Once nothing else can happen every pending timeout is due and any may fire first, so a wait ended only by another
    /// thread's timeout times out where its own fires: two waits each ended only by the other's timeout both count as
    /// unable to end, though each has a path to its end through the other's timeout.
    /// </summary>
    [Fact]
    public void Two_waits_each_ended_only_by_the_others_timeout_can_both_never_end()
    {
        // From 0: thread 0's timeout (0 -> 1) then thread 1's end (1 -> 2), or thread 1's timeout (0 -> 3) then thread 0's end (3 -> 4).
        var ends = Ends(5, (0, 1, None, T0), (1, 2, T1, None), (0, 3, None, T1), (3, 4, T0, None));
        Assert.False(ends[T0][0], "thread 0's wait counted as able to end through thread 1's timeout");
        Assert.False(ends[T1][0], "thread 1's wait counted as able to end through thread 0's timeout");
        Assert.True(ends[T0][3]);
        Assert.True(ends[T1][1]);
    }

    /// <summary>
    /// Without the valid map's dma_wmb the SMMU may run a slot before its command lands, so cpu0's CMD_SYNC never
    /// completes while cpu0 holds the CMDQ lock, and the suspend's quiesce waits for that lock: the drain ends only
    /// through cpu0's timeout, and is a drain-timeout because its own may fire first (4,204 states).
    /// </summary>
    [Fact]
    public void A_suspend_waiting_for_a_cmd_sync_that_can_only_time_out_is_a_drain_timeout()
    {
        var model = SmallScenarios.Build(SmallScenarios.UnmapWhileSuspending, "as-posted", "valid-barrier=none");
        var search = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None);
        Assert.True(search.Exhausted, search.IncompleteReason);
        var kinds = search.Result.ViolationsByKind.Keys;
        Assert.Contains(ViolationKind.SyncTimeout, kinds);
        Assert.Contains(ViolationKind.DrainTimeout, kinds);
    }
}
