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
        // Depth-first, so only the states along the current path and their siblings are alive (breadth-first
        // kept a whole level of cloned states, and the collector's work on them dominated); shortest
        // witnesses come from a breadth-first pass over the finished graph. A state shares every component a
        // delivery did not change with its parent (copy on write: the receiver, and a holder whose wait is
        // withdrawn, are cloned, never changed in place), and keeps each component's hash beside it.
        var frontier = new Stack<(int Id, IComponent[] C, (ulong, ulong)[] H, Execution R)>();
        var detected = new List<(ViolationKind Kind, int From, int Pick, int Choices)>();
        var finals = new List<(int Id, RunResult End)>();
        var total = new BatchResult();
        var outbox = new Outbox();
        var enabled = new List<int>(8);
        Span<byte> waits = stackalloc byte[threads];
        Span<byte> parentWaits = stackalloc byte[threads];
        var clock = Stopwatch.StartNew();
        string? incomplete = null;
        ulong coverage = 0;

        var rootHashes = new (ulong, ulong)[components.Length];
        for (int i = 0; i < components.Length; i++) rootHashes[i] = RunLoop.ComponentHash(components[i]);
        Waits(components, waits);
        int rootId = graph.Add(-1, 0, 1, 0, waits);
        seen.Add(RunLoop.StateHash(rootHashes, root), rootId);
        frontier.Push((rootId, components, rootHashes, root));

        while (frontier.Count > 0)
        {
            if (cancel.IsCancellationRequested) { incomplete = SearchLimits.Cancelled; break; }
            if (limits.Timeout is { } t && clock.Elapsed > t) { incomplete = limits.TimeoutReason; break; }
            var (id, c, hs, r) = frontier.Pop();
            coverage |= r.Invariants.Coverage;
            int n = r.Fabric.Enabled(enabled);
            if (n == 0)
            {
                finals.Add((id, Final(r)));
                continue;
            }
            if (graph.Depth[id] >= limits.MaxDepth) { incomplete ??= limits.DepthReason; continue; }
            var (first, last) = Branches(r.Fabric, enabled);
            for (int th = 0; th < threads; th++) parentWaits[th] = graph.Wait(id, th);
            for (int k = first; k <= last; k++)
            {
                // The last branch takes the parent's own arrays and execution: nothing else needs them any more.
                var (cc, hh, rr, completes, timesOut, found) = Step(c, hs, r, enabled[k], reuse: k == last, parentWaits, outbox);
                total.Steps++;
                // Every branch a transition reaches counts, whether its state is new or merges into one known: the union is then
                // the same in any search order (a merged state keeps the coverage of the path that reached it first).
                coverage |= rr.Invariants.Coverage;
                var hash = RunLoop.StateHash(hh, rr);
                if (!seen.TryGetValue(hash, out int child))
                {
                    if (seen.Count >= limits.MaxStates) { incomplete ??= limits.StatesReason; continue; }
                    Waits(cc, waits);
                    child = graph.Add(id, k, n, graph.Depth[id] + 1, waits);
                    seen.Add(hash, child);
                    frontier.Push((child, cc, hh, rr));
                }
                graph.Edges.Add((id, child, completes, timesOut, k, n));
                for (int v = found; v < rr.Invariants.Violations.Count; v++)
                {
                    var kind = rr.Invariants.Violations[v].Kind;
                    detected.Add((kind, id, k, n));
                    total.ViolationsByKind[kind] = total.ViolationsByKind.GetValueOrDefault(kind) + 1;
                }
            }
            if (graph.Count % 20000 == 0) progress?.Report(new ExploreProgress(graph.Count, 0, total.ViolationsByKind.Values.Sum(), graph.Count));
        }
        if (incomplete is null && frontier.Count > 0) incomplete = SearchLimits.Cancelled;
        total.Coverage |= coverage;
        var atRoot = Conclude(graph, total, finals, detected, decideLiveness: incomplete is null, model.Names);
        progress?.Report(new ExploreProgress(graph.Count, graph.Count, total.ViolationsByKind.Values.Sum(), graph.Count));
        return new Outcome(new ExhaustiveResult(total, graph.Count, incomplete), graph, atRoot);
    }

    /// <summary>
    /// The witnesses a finished (or stopped) search leaves in <paramref name="total"/>, read off its graph: shortest paths
    /// first, then each final state judged, each kind's shallowest transition, and on an exhausted search the liveness
    /// verdicts, whose violations at the root it returns. The local search and the partitioned one both end here.
    /// </summary>
    internal static IReadOnlyList<Violation> Conclude(StateGraph graph, BatchResult total, IEnumerable<(int Id, RunResult End)> finals,
        IEnumerable<(ViolationKind Kind, int From, int Pick, int Choices)> detected, bool decideLiveness, ScenarioNames names)
    {
        graph.Shorten();
        foreach (var (id, end) in finals) total.Add(graph.Depth[id], end, graph.PathTo(id));
        foreach (var (kind, from, pick, choices) in detected)
            if (!total.Witnesses.TryGetValue(kind, out var w) || graph.Depth[from] + 1 < w.RunIndex)
                total.Witnesses[kind] = new Witness(kind, graph.Depth[from] + 1, graph.PathTo(from, pick, choices));
        return decideLiveness ? Liveness.Decide(graph, total, names) : [];
    }

    /// <summary>A final state (nothing enabled), judged as a random run's end is judged.</summary>
    internal static RunResult Final(Execution r)
    {
        var end = r.Invariants.Clone();
        end.Finish(r.Fabric.Steps, r.Fabric.Now, quiescent: true);
        return new RunResult("", r.Fabric.Steps, r.Fabric.Now, end.Violations, end.Coverage, end.Outcome, null, null, false, false);
    }

    /// <summary>
    /// The deliveries explored from a state, as a range of <paramref name="enabled"/>: all of them, or the one
    /// <see cref="ThreadStep"/> lets go alone, or one load's read choices (Fabric.ReadChoices says why they may go alone).
    /// </summary>
    internal static (int First, int Last) Branches(Fabric f, List<int> enabled)
    {
        int only = ThreadStep(f, enabled);
        if (only >= 0) return (only, only);
        return f.ReadChoices(enabled) is (>= 0, _) group ? group : (0, enabled.Count - 1);
    }

    /// <summary>
    /// Delivers message <paramref name="index"/> (of the fabric's pending ones) from a state, copy on write: the receiver,
    /// and a holder whose wait is withdrawn, are cloned, never changed in place, so the state's components may be shared.
    /// <paramref name="reuse"/> hands the state's own arrays and execution to the successor (nothing else needs them).
    /// Returns the successor with each component's hash, the thread whose wait the delivery ends by its answer (or
    /// -1) and the one whose wait it ends by the thread's own timeout (or -1, read from <paramref name="waits"/>, the
    /// state's), and how many violations the execution held before the delivery.
    /// </summary>
    internal static (IComponent[] C, (ulong, ulong)[] H, Execution R, int Completes, int TimesOut, int Found) Step(
        IComponent[] c, (ulong, ulong)[] hs, Execution r, int index, bool reuse, ReadOnlySpan<byte> waits, Outbox outbox)
    {
        var cc = reuse ? c : (IComponent[])c.Clone();
        var hh = reuse ? hs : ((ulong, ulong)[])hs.Clone();
        var rr = reuse ? r : r.Clone();
        var m = rr.Fabric.Take(index);
        var before = c[m.Dst];
        // Read before the delivery changes the receiver.
        int answered = Answered(before, m, waits.Length);
        int timesOut = TimesOut(before, m, waits);
        int found = rr.Invariants.Violations.Count;
        var receiver = before.Clone();
        cc[m.Dst] = receiver;
        outbox.Begin(m.Dst);
        receiver.Handle(m, outbox);
        rr.Delivered(m, outbox);
        hh[m.Dst] = RunLoop.ComponentHash(receiver);
        foreach (var ctl in outbox.Controls)
            if (ctl.Kind == ControlKind.Withdraw)
            {
                var holder = cc[ctl.Operand].Clone();
                ((IWaitHolder)holder).Withdraw(m.Dst);
                cc[ctl.Operand] = holder;
                hh[ctl.Operand] = RunLoop.ComponentHash(holder);
            }
        int completes = answered >= 0 ? answered : LeftFullQueue(before, receiver, m, waits.Length);
        return (cc, hh, rr, completes, timesOut, found);
    }

    /// <summary>
    /// Partial-order reduction: the index (in <paramref name="enabled"/>) of a delivery to a driver thread that
    /// may go first on its own, or -1 to explore every enabled delivery. Such a delivery changes only its
    /// thread and adds only that thread's messages, so it commutes with every other delivery; nothing else can
    /// reach the thread meanwhile (it waits for this reply alone, its own timeout aside), and no timeout can
    /// fire while it is enabled. So every execution that delivers it later has a reordering that delivers it
    /// now and reaches the same states, violations and waits (docs/model.md, "Search").
    /// </summary>
    static int ThreadStep(Fabric f, List<int> enabled)
    {
        int firstThread = Layout.FirstThread;
        for (int k = 0; k < enabled.Count; k++)
        {
            var m = f.Peek(enabled[k]);
            if (m.Dst < firstThread || m.Class == DelayClass.Timeout) continue;
            if (f.OnlyTimeoutsBesides(enabled[k])) return k;
        }
        return -1;
    }


    /// <summary>Each thread's wait in a state, as the graph keeps it.</summary>
    internal static void Waits(IComponent[] c, Span<byte> into)
    {
        for (int t = 0; t < into.Length; t++) into[t] = (byte)((DriverThread)c[Layout.FirstThread + t]).Waiting;
    }

    /// <summary>The thread whose spin this delivery answers, or -1.</summary>
    static int Answered(IComponent receiver, in Message m, int threads)
    {
        int t = m.Dst - Layout.FirstThread;
        return t >= 0 && t < threads && ((DriverThread)receiver).Answers(m) ? t : -1;
    }

    /// <summary>The thread that found room and left poll_until_not_full with this delivery, or -1.</summary>
    static int LeftFullQueue(IComponent before, IComponent after, in Message m, int threads)
    {
        int t = m.Dst - Layout.FirstThread;
        return t >= 0 && t < threads && ((DriverThread)before).Waiting == WaitKind.QueueSpace
            && ((DriverThread)after).Waiting != WaitKind.QueueSpace ? t : -1;
    }

    /// <summary>The thread whose CMD_SYNC or drain wait (in <paramref name="waits"/>, the state's) this delivery ends by its own timeout, or -1.</summary>
    static int TimesOut(IComponent receiver, in Message m, ReadOnlySpan<byte> waits)
    {
        int t = m.Dst - Layout.FirstThread;
        if (t < 0 || t >= waits.Length) return -1;
        var w = (WaitKind)waits[t];
        return w is WaitKind.Sync or WaitKind.Drain && ((DriverThread)receiver).IsOwnTimeout(m) ? t : -1;
    }
}
