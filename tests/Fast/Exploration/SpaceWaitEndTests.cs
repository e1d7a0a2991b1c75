using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Exploration;

/// <summary>
/// What ends a full-queue wait on the search's graph (docs/model.md, "Liveness"): the wait is the driver's whole
/// `while (!queue_has_space(&amp;llq, n + sync))` loop, so an answer to its poll_until_not_full spin (one slot free) ends
/// it only if the thread then leaves it; a thread needing two slots that finds one goes round again, still waiting.
/// Counting that answer made waits that never find room look able to end (SpaceWaitLivenessTests, a search test).
/// </summary>
[Trait("Suite", "Fast")]
public sealed class SpaceWaitEndTests
{
    /// <summary>
    /// Three CPUs each needing the whole two-slot queue: while one refreshes llq.cons from CONS with one command left,
    /// another spinning on llq is answered (one slot free) and goes round again.
    /// </summary>
    const string ThreeCpusTwoSlots = """
        { "name": "three-cpus-two-slots", "queueShift": 1,
          "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
          "threads": [
            { "name": "cpu0", "program": [ { "op": "tlbi", "iova": "A", "count": 2, "sync": false } ] },
            { "name": "cpu1", "program": [ { "op": "tlbi", "iova": "A", "count": 2, "sync": false } ] },
            { "name": "cpu2", "program": [ { "op": "tlbi", "iova": "A", "count": 2, "sync": false } ] } ],
          "delays": { "min": 1, "max": 3 }, "bounds": { "maxSteps": 5000, "maxStates": 5000000 } }
        """;

    /// <summary>Along random walks, every delivery that answers a thread's wait for room, as an edge of the unreduced graph.</summary>
    [Fact]
    public void An_answer_that_leaves_the_thread_waiting_for_room_does_not_end_its_wait()
    {
        var model = Scenarios.Inline(ThreeCpusTwoSlots);
        int threads = model.Workload.Threads.Count, stayed = 0, left = 0;
        var expansion = new StateExpansion(model, reduce: false);
        var enabled = new List<int>();
        var waits = new byte[threads];
        var rng = new Rng(1);
        for (int walk = 0; walk < 8; walk++)
        {
            var c = model.CreateComponents(untimed: true);
            var hs = c.Select(RunLoop.ComponentHash).ToArray();
            var r = model.NewSearchExecution();
            for (int step = 0; step < 400 && r.Fabric.Enabled(enabled) > 0; step++)
            {
                StateExpansion.Waits(c, waits);
                expansion.Expand(c, hs, r, enabled, again: false, owned: false, waits);
                foreach (var b in expansion.Branches)
                {
                    var m = r.Fabric.Peek(enabled[b.Pick]);
                    int t = m.Dst - Layout.FirstThread;
                    if (t < 0 || t >= threads || waits[t] != (byte)WaitKind.QueueSpace || !((DriverThread)c[m.Dst]).Answers(m)) continue;
                    bool stillWaits = ((DriverThread)b.C[m.Dst]).Waiting == WaitKind.QueueSpace;
                    Assert.Equal(stillWaits ? -1 : t, b.Completes);
                    if (stillWaits) stayed++;
                    else left++;
                }
                var next = expansion.Branches[rng.Below(expansion.Branches.Count)];
                (c, hs, r) = (next.C, next.H, next.R);
            }
        }
        Assert.True(stayed > 0 && left > 0, $"answered waits for room: {stayed} left the thread waiting, {left} let it go on");
    }
}
