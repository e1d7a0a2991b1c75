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
    public static ExhaustiveResult Explore(ScenarioModel model, SearchLimits limits, IProgress<ExploreProgress>? progress, CancellationToken cancel) =>
        Search(model, model.CreateComponents(untimed: true), model.NewExecution(new SearchStrategy(), false, false), limits, progress, cancel).Result;

    internal sealed record Outcome(ExhaustiveResult Result, StateGraph Graph, IReadOnlyList<Violation> LivenessAtRoot);

    /// <summary>Searches every state reachable from (<paramref name="components"/>, <paramref name="root"/>), which it takes over.</summary>
    internal static Outcome Search(ScenarioModel model, IComponent[] components, Execution root, SearchLimits limits,
        IProgress<ExploreProgress>? progress, CancellationToken cancel)
    {
        int threads = model.Workload.Threads.Count;
        var graph = new StateGraph(threads);
        var seen = new StateSet();
        var reduction = new Reduction(model);
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
        var outbox = new Outbox();
        var enabled = new List<int>(8);
        var todo = new List<int>(8);
        var chosen = new List<int>(8);
        var waits = new byte[threads];
        // A branch's arrays and execution, given back when it reached a known state, to build the next branch in.
        (IComponent[] C, (ulong, ulong)[] H, Execution R)? spare = null;
        var clock = Stopwatch.StartNew();
        string? incomplete = null;
        ulong coverage = 0;

        var rootHashes = new (ulong, ulong)[components.Length];
        for (int i = 0; i < components.Length; i++) rootHashes[i] = RunLoop.ComponentHash(components[i]);
        // Kept unchanged to rebuild a state for the cycle proviso: the search changes the root's execution in place.
        var pristine = ((IComponent[])components.Clone(), root.Clone());
        Waits(components, waits);
        int rootId = graph.Add(-1, 0, 1, 0, waits);
        seen.Add(RunLoop.StateHash(rootHashes, root), rootId);
        frontier.Add((rootId, components, rootHashes, root, false));

        int checkedUpTo = 0;
        IInvariants? hashedInvariants = null;
        (ulong, ulong) invariantsHash = default;
        while (true)
        {
            while (frontier.Count > 0)
            {
                if (cancel.IsCancellationRequested) { incomplete = "cancelled"; break; }
                if (limits.Timeout is { } t && clock.Elapsed > t) { incomplete = $"--timeout {t.TotalSeconds:0.###} s"; break; }
                var (id, c, hs, r, again) = frontier[^1];
                frontier.RemoveAt(frontier.Count - 1);
                coverage |= r.Invariants.Coverage;
                int n = r.Fabric.Enabled(enabled);
                if (n == 0)
                {
                    // A final state: judge the run's end as a random run's end is judged.
                    var end = r.Invariants.Clone();
                    end.Finish(r.Fabric.Steps, r.Fabric.Now, quiescent: true);
                    finals.Add((id, new RunResult("", r.Fabric.Steps, r.Fabric.Now, end.Violations, end.Coverage, end.Outcome, null, null, false, false)));
                    continue;
                }
                if (graph.Depth[id] >= limits.MaxDepth) { incomplete ??= $"maxSteps ({limits.MaxDepth}): a path that long was cut"; continue; }
                var kind = reduction.Choose(r.Fabric, c, enabled, todo);
                int first = frontier.Count, firstChild = -1;
                bool widened = false;
                if (again)
                {
                    // The deliveries the persistent set left out; the others' edges are in the graph already.
                    chosen.Clear();
                    chosen.AddRange(todo);
                    todo.Clear();
                    for (int k = 0; k < n; k++) if (!chosen.Contains(k)) todo.Add(k);
                    kind = Reduction.Kind.Full;
                }
                for (int i = 0; i < todo.Count; i++)
                {
                    int k = todo[i];
                    // The receiver acts first, on a clone: a thread's step that reports to the oracle widens the set
                    // before anything of the parent is given away.
                    var m = r.Fabric.Peek(enabled[k]);
                    var before = c[m.Dst];
                    var receiver = Handle(before, m, outbox);
                    if (kind == Reduction.Kind.ThreadStep && outbox.Events.Count > 0)
                    {
                        // A step that reported to the oracle may not commute with deliveries to memory or the SMMU.
                        kind = reduction.Widen(r.Fabric, c, enabled, outbox.Events, chosen);
                        widened = kind != Reduction.Kind.ThreadStep;
                        if (kind == Reduction.Kind.Full) for (int j = 0; j < n; j++) { if (j != k) todo.Add(j); }
                        else if (kind == Reduction.Kind.Closure) foreach (int j in chosen) { if (j != k) todo.Add(j); }
                    }
                    // The last branch takes the parent's own arrays and execution. Its components are still shared
                    // with the siblings pushed before it, so none is changed in place.
                    bool reuse = i == todo.Count - 1;
                    IComponent[] cc = c;
                    (ulong, ulong)[] hh = hs;
                    Execution rr = r;
                    if (!reuse)
                    {
                        // In the spare left by a branch that reached a known state, if any: most branches do.
                        cc = spare?.C ?? new IComponent[c.Length];
                        hh = spare?.H ?? new (ulong, ulong)[hs.Length];
                        Array.Copy(c, cc, c.Length);
                        Array.Copy(hs, hh, hs.Length);
                        rr = spare?.R.CopyFrom(r) ?? r.Clone();
                        spare = null;
                    }
                    int found = rr.Invariants.Violations.Count;
                    Apply(cc, hh, rr, enabled[k], receiver, outbox);
                    int answered = Answered(before, m, graph);
                    int timesOut = TimesOut(before, m, graph, id);
                    total.Steps++;
                    int completes = answered >= 0 ? answered : LeftFullQueue(before, receiver, m, graph);
                    // Siblings that left the checks untouched share them, and shared checks never change: hashed once.
                    if (!rr.SharesInvariants || !ReferenceEquals(rr.Invariants, hashedInvariants))
                    {
                        invariantsHash = RunLoop.InvariantsHash(rr.Invariants);
                        hashedInvariants = rr.SharesInvariants ? rr.Invariants : null;
                    }
                    var hash = RunLoop.StateHash(hh, rr, invariantsHash);
                    if (!seen.TryGetValue(hash, out int child))
                    {
                        if (seen.Count >= limits.MaxStates)
                        {
                            incomplete ??= $"maxStates ({limits.MaxStates})";
                            if (!reuse) spare = (cc, hh, rr);
                            continue;
                        }
                        Waits(cc, waits);
                        child = graph.Add(id, k, n, graph.Depth[id] + 1, waits);
                        seen.Add(hash, child);
                        frontier.Add((child, cc, hh, rr, false));
                        if (i == 0) firstChild = child;
                    }
                    else if (!reuse) spare = (cc, hh, rr);
                    graph.Edges.Add((id, child, completes, timesOut, k, n));
                    for (int v = found; v < rr.Invariants.Violations.Count; v++)
                    {
                        var vk = rr.Invariants.Violations[v].Kind;
                        detected.Add((vk, id, k, n));
                        total.ViolationsByKind[vk] = total.ViolationsByKind.GetValueOrDefault(vk) + 1;
                    }
                }
                // A widened thread step keeps its place: searched first, as it is when it goes alone.
                if (widened && frontier.Count > first + 1 && frontier[first].Id == firstChild) (frontier[first], frontier[^1]) = (frontier[^1], frontier[first]);
                graph.Reduced[id] = kind != Reduction.Kind.Full;
                if (graph.Count % 20000 == 0) progress?.Report(new ExploreProgress(graph.Count, 0, total.ViolationsByKind.Values.Sum(), graph.Count));
            }
            if (incomplete is not null || frontier.Count > 0) break;
            // The cycle proviso: a cycle of reduced states could put off a delivery forever. Expand in full one state on
            // each such cycle (rebuilt by replaying its path), then search on from what that adds, until none is left.
            var breakers = graph.CycleBreakers(checkedUpTo);
            checkedUpTo = graph.Count;
            if (breakers.Count == 0) break;
            foreach (int s in breakers) frontier.Add(Rebuild(graph, seen, pristine, s, outbox, enabled));
        }
        if (incomplete is null && frontier.Count > 0) incomplete = "cancelled";
        if (Environment.GetEnvironmentVariable("SMMU_PROBE") is not null) Console.Error.WriteLine($"probe alloc {GC.GetTotalAllocatedBytes() >> 20} MB gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)} cpu {System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.00}");
        graph.Shorten();
        foreach (var (id, end) in finals) total.Add(graph.Depth[id], end, graph.PathTo(id));
        foreach (var (kind, from, pick, choices) in detected)
            if (!total.Witnesses.TryGetValue(kind, out var w) || graph.Depth[from] + 1 < w.RunIndex)
                total.Witnesses[kind] = new Witness(kind, graph.Depth[from] + 1, graph.PathTo(from, pick, choices));
        total.Coverage |= coverage;
        IReadOnlyList<Violation> atRoot = [];
        if (incomplete is null) atRoot = Liveness.Decide(graph, total, model.Names);
        progress?.Report(new ExploreProgress(graph.Count, graph.Count, total.ViolationsByKind.Values.Sum(), graph.Count));
        return new Outcome(new ExhaustiveResult(total, graph.Count, incomplete), graph, atRoot);
    }

    /// <summary>The receiver of <paramref name="m"/> after handling it: a clone, the one given is not changed.</summary>
    static IComponent Handle(IComponent before, in Message m, Outbox outbox)
    {
        var receiver = before.Clone();
        outbox.Begin(m.Dst);
        receiver.Handle(m, outbox);
        return receiver;
    }

    /// <summary>
    /// Makes the state (<paramref name="c"/>, <paramref name="h"/>, <paramref name="r"/>) the next one: pending message
    /// <paramref name="index"/> delivered to <paramref name="receiver"/>, which handled it into <paramref name="outbox"/>;
    /// a holder whose wait is withdrawn is replaced by a changed clone.
    /// </summary>
    static void Apply(IComponent[] c, (ulong, ulong)[] h, Execution r, int index, IComponent receiver, Outbox outbox)
    {
        var m = r.Fabric.Take(index);
        c[m.Dst] = receiver;
        r.Delivered(m, outbox);
        h[m.Dst] = RunLoop.ComponentHash(receiver);
        foreach (var ctl in outbox.Controls)
            if (ctl.Kind == ControlKind.Withdraw)
            {
                var holder = c[ctl.Operand].Clone();
                ((IWaitHolder)holder).Withdraw(m.Dst);
                c[ctl.Operand] = holder;
                h[ctl.Operand] = RunLoop.ComponentHash(holder);
            }
    }

    /// <summary>State <paramref name="state"/> again, replayed from the root along the path that first reached it, to be expanded once more.</summary>
    static (int, IComponent[], (ulong, ulong)[], Execution, bool) Rebuild(StateGraph graph, StateSet seen,
        (IComponent[] C, Execution R) root, int state, Outbox outbox, List<int> enabled)
    {
        var picks = new List<int>();
        for (int s = state; graph.Parent[s] >= 0; s = graph.Parent[s]) picks.Add(graph.Pick[s]);
        var c = (IComponent[])root.C.Clone();
        var r = root.R.Clone();
        var h = new (ulong, ulong)[c.Length];
        for (int i = 0; i < c.Length; i++) h[i] = RunLoop.ComponentHash(c[i]);
        for (int i = picks.Count - 1; i >= 0; i--)
        {
            r.Fabric.Enabled(enabled);
            int index = enabled[picks[i]];
            var m = r.Fabric.Peek(index);
            Apply(c, h, r, index, Handle(c[m.Dst], m, outbox), outbox);
        }
        if (!seen.TryGetValue(RunLoop.StateHash(h, r), out int id) || id != state)
            throw new InvalidOperationException($"state {state} did not replay to itself");
        return (state, c, h, r, true);
    }

    static void Waits(IComponent[] c, Span<byte> into)
    {
        for (int t = 0; t < into.Length; t++) into[t] = (byte)((DriverThread)c[Layout.FirstThread + t]).Waiting;
    }

    /// <summary>The thread whose spin this delivery answers, or -1.</summary>
    static int Answered(IComponent receiver, in Message m, StateGraph graph)
    {
        int t = m.Dst - Layout.FirstThread;
        return t >= 0 && t < graph.Threads && ((DriverThread)receiver).Answers(m) ? t : -1;
    }

    /// <summary>The thread that found room and left poll_until_not_full with this delivery, or -1.</summary>
    static int LeftFullQueue(IComponent before, IComponent after, in Message m, StateGraph graph)
    {
        int t = m.Dst - Layout.FirstThread;
        return t >= 0 && t < graph.Threads && ((DriverThread)before).Waiting == WaitKind.QueueSpace
            && ((DriverThread)after).Waiting != WaitKind.QueueSpace ? t : -1;
    }

    /// <summary>The thread whose CMD_SYNC or drain wait this delivery ends by its own timeout, or -1.</summary>
    static int TimesOut(IComponent receiver, in Message m, StateGraph graph, int state)
    {
        int t = m.Dst - Layout.FirstThread;
        if (t < 0 || t >= graph.Threads) return -1;
        var w = (WaitKind)graph.Wait(state, t);
        return w is WaitKind.Sync or WaitKind.Drain && ((DriverThread)receiver).IsOwnTimeout(m) ? t : -1;
    }
}
