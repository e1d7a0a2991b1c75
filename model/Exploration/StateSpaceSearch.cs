using System.Diagnostics;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// The exhaustive search over every delivery order the ordering rules allow (any message
/// in flight that no rule holds back may go next; a timeout only when nothing else can), so any relative
/// speed of the CPUs, the SMMU and the power manager and any stall are covered. States are cloned, not
/// re-executed, and merged by their 128-bit hash; the search goes depth-first and a breadth-first pass
/// over the finished graph makes each kind's witness a shortest one. Safety violations are found on the
/// transitions; the time-based kinds are decided on the finished graph (<see cref="Liveness"/>), which
/// needs the whole space: when a bound stops the search, the result says which, and claims nothing
/// about liveness.
/// </summary>
public static class StateSpaceSearch
{
    /// <param name="reduce">False: no partial-order reduction, every state expands every enabled delivery (Spin's NOREDUCE).</param>
    public static ExhaustiveResult Explore(ScenarioModel model, SearchLimits limits, IProgress<ExploreProgress>? progress, CancellationToken cancel,
        bool reduce = true) =>
        Search(model, model.CreateComponents(untimed: true), model.NewSearchExecution(), limits, progress, cancel, reduce).Result;

    internal sealed record Outcome(ExhaustiveResult Result, StateGraph Graph, IReadOnlyList<Violation> LivenessAtRoot);

    /// <summary>Searches every state reachable from (<paramref name="components"/>, <paramref name="root"/>), which it takes over.</summary>
    internal static Outcome Search(ScenarioModel model, IComponent[] components, Execution root, SearchLimits limits,
        IProgress<ExploreProgress>? progress, CancellationToken cancel, bool reduce = true)
    {
        int threads = model.Workload.Threads.Count;
        var graph = new StateGraph(threads);
        var seen = new StateSet();
        var expansion = new StateExpansion(model, reduce);
        // Depth-first, so only the states along the current path and their siblings are alive (breadth-first
        // kept a whole level of cloned states, and the collector's work on them dominated); shortest
        // witnesses come from a breadth-first pass over the finished graph. A state shares every component a
        // delivery did not change with its parent (copy on write: the receiver, and a holder whose wait is
        // withdrawn, are cloned, never changed in place), and keeps each component's hash beside it. Again: a
        // reduced state expanded once more, with the deliveries its persistent set left out (the cycle proviso).
        var frontier = new List<(int Id, IComponent[] C, (ulong, ulong)[] H, Execution R, bool Again)>();
        var detected = new List<(ViolationKind Kind, int From, int Pick, int Choices)>();
        var finals = new List<(int Id, RunResult End)>();
        var total = new BatchResult();
        var enabled = new List<int>(8);
        var waits = new byte[threads];
        var parentWaits = new byte[threads];
        var clock = Stopwatch.StartNew();
        string? incomplete = null;
        ulong coverage = 0;
        int breakerCount = 0;

        var rootHashes = new (ulong, ulong)[components.Length];
        for (int i = 0; i < components.Length; i++) rootHashes[i] = RunLoop.ComponentHash(components[i]);
        // Replays the paths of the states the cycle proviso expands again, from the root kept unchanged (the search
        // changes the root's execution in place).
        var walker = new PrefixWalker((IComponent[])components.Clone(), root.Clone());
        StateExpansion.Waits(components, waits);
        var rootHash = RunLoop.StateHash(rootHashes, root);
        int rootId = graph.Add(-1, 0, 1, 0, waits, rootHash);
        seen.Add(rootHash, rootId);
        frontier.Add((rootId, components, rootHashes, root, false));

        int checkedUpTo = 0;
        while (true)
        {
            while (frontier.Count > 0)
            {
                if (cancel.IsCancellationRequested) { incomplete = SearchLimits.Cancelled; break; }
                if (limits.Timeout is { } t && clock.Elapsed > t) { incomplete = limits.TimeoutReason; break; }
                var (id, c, hs, r, again) = frontier[^1];
                frontier.RemoveAt(frontier.Count - 1);
                coverage |= r.Invariants.Coverage;
                int n = r.Fabric.Enabled(enabled);
                if (n == 0)
                {
                    finals.Add((id, Final(r)));
                    continue;
                }
                if (graph.Depth[id] >= limits.MaxDepth) { incomplete ??= limits.DepthReason; continue; }
                for (int th = 0; th < threads; th++) parentWaits[th] = graph.Wait(id, th);
                var kind = expansion.Expand(c, hs, r, enabled, again, owned: true, parentWaits);
                int first = frontier.Count, firstChild = -1;
                for (int i = 0; i < expansion.Branches.Count; i++) seen.Touch(expansion.Branches[i].Hash);
                for (int i = 0; i < expansion.Branches.Count; i++)
                {
                    var b = expansion.Branches[i];
                    total.Steps++;
                    // Every branch a transition reaches counts, whether its state is new or merges into one known: the union is
                    // then the same in any search order (a merged state keeps the coverage of the path that reached it first).
                    coverage |= b.R.Invariants.Coverage;
                    for (int v = b.Found; v < b.R.Invariants.Violations.Count; v++)
                    {
                        var vk = b.R.Invariants.Violations[v].Kind;
                        detected.Add((vk, id, b.Pick, n));
                        total.ViolationsByKind[vk] = total.ViolationsByKind.GetValueOrDefault(vk) + 1;
                    }
                    // The execution ends here: no edge, known state or not, so the partitioned search (which cannot tell a
                    // remote state known) builds the same graph.
                    if (limits.FirstViolation && b.Violates) { expansion.GiveBack(b); continue; }
                    bool known = seen.TryGetValue(b.Hash, out int child);
                    if (!known)
                    {
                        if (seen.Count >= limits.MaxStates) { incomplete ??= limits.StatesReason; expansion.GiveBack(b); continue; }
                        StateExpansion.Waits(b.C, waits);
                        child = graph.Add(id, b.Pick, n, graph.Depth[id] + 1, waits, b.Hash);
                        seen.Add(b.Hash, child);
                        frontier.Add((child, b.C, b.H, b.R, false));
                        if (i == 0) firstChild = child;
                    }
                    graph.AddEdge(id, child, b.Completes, b.TimesOut, b.Pick, n);
                    if (known) expansion.GiveBack(b);
                }
                expansion.Branches.Clear();
                // A widened thread step keeps its place: searched first, as it is when it goes alone.
                if (expansion.Widened && frontier.Count > first + 1 && frontier[first].Id == firstChild) (frontier[first], frontier[^1]) = (frontier[^1], frontier[first]);
                graph.Reduced[id] = kind != Reduction.Kind.Full;
                if (graph.Count % 20000 == 0) progress?.Report(new ExploreProgress(graph.Count, 0, total.ViolationsByKind.Values.Sum(), graph.Count));
            }
            if (incomplete is not null || frontier.Count > 0) break;
            // The cycle proviso: a cycle of reduced states could put off a delivery forever. Expand in full one state on
            // each such cycle (rebuilt by replaying its path), then search on from what that adds, until none is left.
            var breakers = graph.CycleBreakers(Enumerable.Range(checkedUpTo, graph.Count - checkedUpTo));
            checkedUpTo = graph.Count;
            if (breakers.Count == 0) break;
            breakerCount += breakers.Count;
            frontier.AddRange(Rebuild(graph, walker, breakers));
        }
        if (incomplete is null && frontier.Count > 0) incomplete = SearchLimits.Cancelled;
        total.Coverage |= coverage;
        var atRoot = Conclude(graph, total, finals, detected, decideLiveness: incomplete is null, limits.FirstViolation, model.Names);
        progress?.Report(new ExploreProgress(graph.Count, graph.Count, total.ViolationsByKind.Values.Sum(), graph.Count));
        return new Outcome(new ExhaustiveResult(total, graph.Count, incomplete, breakerCount, limits.FirstViolation), graph, atRoot);
    }

    /// <summary>
    /// <paramref name="states"/> again, in that order, each replayed from the root along the path that first reached it, to
    /// be expanded once more; each its own copy, since the search gives a state's arrays to its last successor. The paths
    /// are walked in lexicographic order, so each replays only past the prefix it shares with the one before (states on
    /// one cycle of the proviso's pass tend to share most of their paths).
    /// </summary>
    static (int, IComponent[], (ulong, ulong)[], Execution, bool)[] Rebuild(StateGraph graph, PrefixWalker walker, List<int> states)
    {
        var paths = states.Select(s => graph.PathTo(s).Select(k => checked((byte)k)).ToArray()).ToArray();
        var order = Enumerable.Range(0, states.Count).ToArray();
        Array.Sort(order, (a, b) => PrefixWalker.Order(paths[a], graph.Depth[states[a]], paths[b], graph.Depth[states[b]]));
        var rebuilt = new (int, IComponent[], (ulong, ulong)[], Execution, bool)[states.Count];
        for (int j = 0; j < order.Length; j++)
        {
            int i = order[j], state = states[i];
            int shared = j + 1 < order.Length ? paths[i].AsSpan().CommonPrefixLength(paths[order[j + 1]]) : 0;
            var (c, h, r) = walker.Walk(paths[i], graph.Depth[state], shared);
            if (RunLoop.StateHash(h, r) != graph.Hashes[state]) throw new InvalidOperationException($"state {state} did not replay to itself");
            rebuilt[i] = (state, ArrayCopy.Of(c), ArrayCopy.Of(h), r.Clone(), true);
        }
        return rebuilt;
    }

    /// <summary>
    /// The witnesses a finished (or stopped) search leaves in <paramref name="total"/>, read off its graph: shortest paths
    /// first, then each final state judged, each kind's shallowest transition, and on an exhausted search the liveness
    /// verdicts, whose violations at the root it returns. The local search and the partitioned one both end here.
    /// <paramref name="firstViolation"/>: every violating transition ended its execution, so the graph stops at the states
    /// they leave, and a wait there may yet end past the violation (<see cref="Liveness.Ends"/>).
    /// </summary>
    internal static IReadOnlyList<Violation> Conclude(StateGraph graph, BatchResult total, IEnumerable<(int Id, RunResult End)> finals,
        IEnumerable<(ViolationKind Kind, int From, int Pick, int Choices)> detected, bool decideLiveness, bool firstViolation, ScenarioNames names)
    {
        bool[]? cut = null;
        if (firstViolation)
        {
            cut = new bool[graph.Count];
            foreach (var d in detected) cut[d.From] = true;
        }
        // Which waits can end needs only the edges, the shortest paths only the parents: both passes are bound by memory,
        // and the second core runs one while this thread runs the other. Each reads what the other does not write.
        var ends = decideLiveness ? Task.Run(() => Liveness.Ends(graph, cut)) : null;
        graph.Shorten();
        foreach (var (id, end) in finals) total.Add(graph.Depth[id], end, graph.PathTo(id));
        foreach (var (kind, from, pick, choices) in detected)
            if (total.MayTake(kind, graph.Depth[from] + 1)) total.Offer(kind, graph.Depth[from] + 1, graph.PathTo(from, pick, choices));
        return ends is not null ? Liveness.Decide(graph, total, names, ends.GetAwaiter().GetResult()) : [];
    }

    /// <summary>
    /// A final state (nothing enabled), judged as a random run's end is judged, with what its end shows and nothing of the
    /// path that first reached it, which another search order reaches it by another: not that path's violations (each is
    /// counted on its own transition) and not its length (the search's steps are the transitions it explored).
    /// </summary>
    internal static RunResult Final(Execution r)
    {
        var end = r.Invariants.Clone();
        int before = end.Violations.Count;
        end.Finish(r.Fabric.Steps, r.Fabric.Now, quiescent: true);
        return new RunResult("", 0, 0, end.Violations.Skip(before).ToArray(), end.Coverage, end.Outcome, null, null, false, false);
    }
}
