using SmmuActors.Model.Exploration;
using Xunit;

namespace SmmuActors.Tests.Exploration;

/// <summary>
/// The time-based verdicts on small hand-built graphs (docs/model.md, "Liveness"): a thread's wait can end in a state
/// when a path from it reaches an edge that ends the wait without crossing the thread's own timeout, and never in a state
/// where its own timeout fires. (Two waits each ended only by the other's timeout: MutualTimeoutTests.)
/// </summary>
[Trait("Suite", "Fast")]
public sealed class LivenessTests
{
    const int None = -1, T0 = 0;

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
        Assert.False(ends[T0][0]);
        Assert.False(ends[T0][1]);
        Assert.True(ends[T0][2]);
    }
}
