using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// The full-queue wait is the driver's whole loop, `while (!queue_has_space(&amp;llq, n + sync))` around
/// poll_until_not_full, whose spin ends as soon as one slot is free. A thread that needs two slots and finds one goes
/// round again, still waiting. Counting that answer as the wait's end made a wait that never finds room look able to end:
/// on this workload 94 of cpu0's waiting states were judged endless where 7,367 are.
/// </summary>
[Trait("Suite", "Search")]
public sealed class SpaceWaitLivenessTests
{
    /// <summary>
    /// A two-slot queue; cpu0 submits two TLBIs, cpu1 a TLBI with a CMD_SYNC (two slots each); the power manager
    /// suspends and never resumes. Without the gate a CPU may reserve after the drain and wait for room the powered-off
    /// SMMU never makes.
    /// </summary>
    const string TwoSlotsNoResume = """
        { "name": "two-slots-no-resume", "queueShift": 1,
          "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
          "threads": [
            { "name": "cpu0", "program": [ { "op": "tlbi", "iova": "A", "count": 2, "sync": false } ] },
            { "name": "cpu1", "program": [ { "op": "tlbi", "iova": "A", "count": 1, "sync": true } ] },
            { "name": "pm", "program": [ { "op": "suspend" } ] } ],
          "delays": { "min": 1, "max": 3, "longProbability": 0.05, "longMax": 200, "menu": [1, 30, 200], "maxDelayed": 2 },
          "bounds": { "maxSteps": 5000, "maxStates": 5000000 } }
        """;

    /// <summary>
    /// For every thread and every state where it waits for room, the verdict equals the definition read off the graph's
    /// waits alone: the wait can end when some path from the state reaches a delivery after which the thread no longer
    /// waits for room.
    /// </summary>
    [Fact]
    public void A_full_queue_wait_ends_only_when_the_thread_leaves_it()
    {
        var model = Scenarios.Inline(TwoSlotsNoResume, "no-gate");
        var outcome = Searched.WithGraph(model);
        var graph = outcome.Graph;
        var ends = Liveness.Ends(graph);
        int endless = 0;
        for (int t = 0; t < graph.Threads; t++)
        {
            var leaves = CanLeaveSpaceWait(graph, t);
            for (int s = 0; s < graph.Count; s++)
            {
                if (graph.Wait(s, t) != (byte)WaitKind.QueueSpace) continue;
                Assert.True(leaves[s] == ends[t][s], $"thread {t}, state {s}: the graph says {(leaves[s] ? "it can leave" : "it can never leave")}, the verdict {(ends[t][s] ? "can end" : "cannot")}");
                if (!leaves[s]) endless++;
            }
        }
        Assert.True(endless > 0, "no endless wait for room: the workload no longer tests the rule");
        Assert.Contains(ViolationKind.WaitForever, outcome.Result.Result.ViolationsByKind.Keys);
    }

    /// <summary>The states from which a path reaches an edge that takes thread <paramref name="t"/> out of its wait for room.</summary>
    static bool[] CanLeaveSpaceWait(StateGraph graph, int t)
    {
        var can = new bool[graph.Count];
        var into = new List<int>[graph.Count];
        foreach (var e in graph.Edges)
        {
            (into[e.To] ??= []).Add(e.From);
            if (graph.Wait(e.From, t) == (byte)WaitKind.QueueSpace && graph.Wait(e.To, t) != (byte)WaitKind.QueueSpace) can[e.From] = true;
        }
        var work = new Stack<int>(Enumerable.Range(0, graph.Count).Where(s => can[s]));
        while (work.Count > 0)
            foreach (var from in into[work.Pop()] ?? [])
                if (!can[from])
                {
                    can[from] = true;
                    work.Push(from);
                }
        return can;
    }
}
