using System.Runtime.InteropServices;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// The time-based verdicts, decided on the whole state graph rather than by a clock: a thread's wait
/// "can never end" in a state when no path from it reaches the delivery that ends the wait (its spin's
/// answer, or room in the queue) without the thread's own timeout ending it first. Such a state, if
/// reachable, is a violation of the kind the wait names: sync-timeout for a CMD_SYNC, drain-timeout for
/// the suspend's drain, wait-forever for the full-queue wait or any other spin. This covers both
/// quiescence (the wait's timeout is all that can still happen) and cycles without progress (the
/// full-queue loop retrying forever against a powered-off SMMU). Decided only on an exhausted search.
/// </summary>
public static class Liveness
{
    /// <summary>
    /// For each thread, the states from which its current wait can end (<see cref="CanEnd"/>): what the verdicts are read
    /// from. It needs the edges only, not the shortest paths, so the search computes it beside <see cref="StateGraph.Shorten"/>.
    /// </summary>
    /// <param name="cut">
    /// States with a transition that ended its execution at a violation (a search that stops each execution at its first):
    /// what lies past it was not searched, so every wait counts as able to end there. A wait is then judged endless only
    /// where no path reaches such a state, which the graph shows whole; a wait that never ends only past a violation goes
    /// unreported, the violation before it being reported instead.
    /// </param>
    internal static bool[][] Ends(StateGraph graph, bool[]? cut = null)
    {
        var into = graph.Incoming();
        var ends = Enumerable.Range(0, graph.Threads).Select(t => CanEnd(graph, into, t, cut)).ToArray();
        // A timeout fires only when nothing else can happen, and then any of those enabled may fire first: a state where
        // a thread's own timeout ends its wait is one where that wait times out, even if another thread's timeout would
        // have let it end (two waits each ended only by the other's timeout: one of them times out either way).
        foreach (ref readonly var e in graph.Edges)
            if (e.TimesOut >= 0) ends[e.TimesOut][e.From] = false;
        return ends;
    }

    /// <summary>
    /// Adds each kind's shallowest witness to <paramref name="total"/>, on a graph whose paths are shortest and whose waits
    /// <paramref name="ends"/> (<see cref="Ends"/>) says can end; returns the violations of the root state itself.
    /// </summary>
    internal static IReadOnlyList<Violation> Decide(StateGraph graph, BatchResult total, ScenarioNames names, bool[][] ends)
    {
        int n = graph.Count;
        var atRoot = new List<Violation>();
        var waits = CollectionsMarshal.AsSpan(graph.Waits);
        var depth = CollectionsMarshal.AsSpan(graph.Depth);
        for (int t = 0; t < graph.Threads; t++)
        {
            var canEnd = ends[t];
            for (int s = 0; s < n; s++)
            {
                var w = (WaitKind)waits[s * graph.Threads + t];
                if (w == WaitKind.None || canEnd[s]) continue;
                var kind = KindOf(w);
                if (s == 0) atRoot.Add(new Violation(kind, 0, 0, Detail(w, names.Thread(t))));
                total.ViolationsByKind[kind] = total.ViolationsByKind.GetValueOrDefault(kind) + 1;
                if (total.MayTake(kind, depth[s])) total.Offer(kind, depth[s], graph.PathTo(s));
            }
        }
        return atRoot;
    }

    /// <summary>The kinds decided here: a witness of one ends in a state whose wait can never end.</summary>
    static readonly ViolationKind[] Kinds = [ViolationKind.SyncTimeout, ViolationKind.DrainTimeout, ViolationKind.WaitForever];

    /// <summary>True for a kind (as a counterexample names it) decided here, whose witness is checked afresh where it stops.</summary>
    public static bool Decides(string kind) => Kinds.Any(k => Naming.Kebab(k) == kind);

    public static ViolationKind KindOf(WaitKind w) => w switch
    {
        WaitKind.Sync => ViolationKind.SyncTimeout,
        WaitKind.Drain => ViolationKind.DrainTimeout,
        _ => ViolationKind.WaitForever,
    };

    public static string Detail(WaitKind w, string thread) => w switch
    {
        WaitKind.Sync => $"{thread}'s CMD_SYNC can never complete: no execution from here delivers its completion",
        WaitKind.Drain => $"{thread}'s suspend can never finish its drain: no execution from here ends the wait",
        WaitKind.QueueSpace => $"{thread} waits for queue space forever: no execution from here frees a slot it can reserve",
        _ => $"{thread} spins forever: no execution from here answers its wait",
    };

    /// <summary>
    /// States from which thread <paramref name="t"/>'s current wait can end: backwards from every edge that ends it and
    /// every <paramref name="cut"/> state, never across its own timeout.
    /// </summary>
    static bool[] CanEnd(StateGraph graph, (int[] Start, int[] Edges) into, int t, bool[]? cut)
    {
        var can = new bool[graph.Count];
        var edges = graph.Edges;
        // Each state is pushed at most once, when first marked.
        var work = new int[graph.Count];
        int top = 0;
        foreach (ref readonly var e in edges)
            if (e.Completes == t && !can[e.From]) { can[e.From] = true; work[top++] = e.From; }
        if (cut is not null)
            for (int s = 0; s < cut.Length; s++)
                if (cut[s] && !can[s]) { can[s] = true; work[top++] = s; }
        while (top > 0)
        {
            int v = work[--top];
            for (int i = into.Start[v]; i < into.Start[v + 1]; i++)
            {
                ref readonly var e = ref edges[into.Edges[i]];
                if (e.TimesOut == t || can[e.From]) continue;
                can[e.From] = true;
                work[top++] = e.From;
            }
        }
        return can;
    }
}
