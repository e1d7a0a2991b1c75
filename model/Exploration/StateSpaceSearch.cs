using System.Diagnostics;
using System.Runtime.InteropServices;
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
    /// <summary>More workers than the visited set has shards would mostly wait on one another's locks.</summary>
    public const int MaxWorkers = VisitedStates.Shards;

    /// <summary>One worker per core of this machine, up to <see cref="MaxWorkers"/>.</summary>
    public static int DefaultWorkers => Math.Min(Environment.ProcessorCount, MaxWorkers);

    /// <param name="reduce">False: no partial-order reduction, every state expands every enabled delivery (Spin's NOREDUCE).</param>
    /// <param name="workers">Threads searching at once: the result is the same for any number (a search the maxStates bound cut is run again on one).</param>
    /// <param name="spent">Time the caller already spent on this search (an attempt before this one): --timeout's budget is for both.</param>
    public static ExhaustiveResult Explore(ScenarioModel model, SearchLimits limits, IProgress<ExploreProgress>? progress, CancellationToken cancel,
        bool reduce = true, int workers = 1, TimeSpan spent = default)
    {
        var first = Stopwatch.StartNew();
        var r = Search(model, model.CreateComponents(untimed: true), model.NewSearchExecution(), limits, progress, cancel, reduce, workers, spent).Result;
        // Which states the maxStates bound lets in, and which violation comes first, depend on the order states are reached
        // in, which timing decides on several workers: such a search is run again on one, whose order is fixed, so its
        // answer is the same every time.
        if (workers > 1 && limits.CutsByOrder(r.IncompleteReason))
        {
            // The first attempt's logs and visited set (up to the bound: a gigabyte) are garbage now; without a collection
            // that gives their memory back, the process holds it and the second attempt's at once.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var again = Search(model, model.CreateComponents(untimed: true), model.NewSearchExecution(), limits,
                progress is null ? null : new Again(progress), cancel, reduce, 1, spent + first.Elapsed).Result with { Again = true };
            // Stopped (Ctrl+C, or --timeout's budget for both attempts) before it got as far, it had found less than the first
            // attempt, whose states and violations stand, cut now by the stop: the second attempt is there to make a bound's
            // answer the same every time, which a stop's never is (a stopped search printed no violation after 13,518
            // violating transitions).
            bool stopped = again.IncompleteReason == SearchLimits.Cancelled || again.IncompleteReason == limits.TimeoutReason;
            return stopped ? r with { IncompleteReason = again.IncompleteReason } : again;
        }
        return r;
    }

    /// <summary>Marks the second attempt's reports, so a display does not show the counts falling back to zero unexplained.</summary>
    sealed class Again(IProgress<ExploreProgress> inner) : IProgress<ExploreProgress>
    {
        public void Report(ExploreProgress p) => inner.Report(p with { Again = true });
    }

    /// <param name="AdmittedByWorker">The states each worker admitted (the root is nobody's).</param>
    internal sealed record Outcome(ExhaustiveResult Result, StateGraph Graph, IReadOnlyList<Violation> LivenessAtRoot, int[] AdmittedByWorker);

    /// <summary>Searches every state reachable from (<paramref name="components"/>, <paramref name="root"/>), which it takes over.</summary>
    internal static Outcome Search(ScenarioModel model, IComponent[] components, Execution root, SearchLimits limits,
        IProgress<ExploreProgress>? progress, CancellationToken cancel, bool reduce = true, int workers = 1, TimeSpan spent = default)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "a search needs at least one worker");
        int threads = model.Workload.Threads.Count;
        var graph = new StateGraph(threads);
        var seen = new VisitedStates(workers, limits.MaxStates);
        // Depth-first, so only the states along the current path and their siblings are alive (breadth-first
        // kept a whole level of cloned states, and the collector's work on them dominated); shortest
        // witnesses come from a breadth-first pass over the finished graph. A state shares every component a
        // delivery did not change with its parent (copy on write: the receiver, and a holder whose wait is
        // withdrawn, are cloned, never changed in place), and keeps each component's hash beside it. Each worker
        // goes depth first from its own stack and gives the bottom of it to a worker that has none (WorkPool).
        var pool = new WorkPool<SearchWorker.Item>(workers);
        var crew = Enumerable.Range(0, workers).Select(_ => new SearchWorker(model, reduce)).ToArray();
        var finals = new List<(int Id, RunResult End)>();
        var detected = new List<(ViolationKind Kind, int From, int Pick, int Choices)>();
        var clock = Stopwatch.StartNew();
        string? stopped = null;
        bool bounded = false;
        int breakerCount = 0;
        long reported = 0;

        var rootHashes = new (ulong, ulong)[components.Length];
        for (int i = 0; i < components.Length; i++) rootHashes[i] = RunLoop.ComponentHash(components[i]);
        // Replays the paths of the states the cycle proviso expands again, from the root kept unchanged (the search
        // changes the root's execution in place).
        var walker = new PrefixWalker((IComponent[])components.Clone(), root.Clone());
        Span<byte> waits = stackalloc byte[threads];
        StateExpansion.Waits(components, waits);
        var rootHash = RunLoop.StateHash(rootHashes, root);
        int rootId = seen.Visit(rootHash, out _);
        graph.Add(-1, 0, 1, 0, waits, rootHash);
        pool.Add(new SearchWorker.Item(rootId, 0, components, rootHashes, root, false));

        // Asked by every worker before each expansion: a stop (Ctrl+C, --timeout) ends every worker's phase, and so does a
        // bound met on several workers, whose search is run again on one (Explore).
        bool Go(SearchWorker w)
        {
            if (Volatile.Read(ref stopped) is not null || Volatile.Read(ref bounded)) return false;
            if (workers > 1 && w.Bound is not null) { Volatile.Write(ref bounded, true); return false; }
            // On one worker the search stops where its fixed order meets the first violation (a maxStates cut goes on over
            // the states already admitted).
            if (w.Bound == SearchLimits.FirstFoundReason) return false;
            string? reason = cancel.IsCancellationRequested ? SearchLimits.Cancelled
                : limits.Timeout is { } t && spent + clock.Elapsed > t ? limits.TimeoutReason : null;
            if (reason is not null) { Interlocked.CompareExchange(ref stopped, reason, null); return false; }
            // The graph takes each worker's logs between any two of its expansions: kept short, they cost no memory beside
            // the graph's own.
            if (w.States.Count >= FlushAt)
                lock (graph) AddLogs(graph, w, finals, detected);
            // Any worker reports, one at a time: the one that would report may be waiting for work.
            if (progress is not null && seen.Count / 20000 > Volatile.Read(ref reported))
                lock (crew)
                    if (seen.Count / 20000 > reported)
                    {
                        reported = seen.Count / 20000;
                        progress.Report(new ExploreProgress(seen.Count, 0, crew.Sum(c => Volatile.Read(ref c.Violations)), seen.Count));
                    }
            return true;
        }

        var deep = new List<SearchWorker.Item>();
        int checkedUpTo = 0;
        while (true)
        {
            RunPhase(crew, pool, seen, limits, Go);
            // Explore searches again on one worker: this attempt's graph would not be read.
            if (bounded) return new Outcome(new ExhaustiveResult(new BatchResult(), seen.Count, crew.First(w => w.Bound is not null).Bound), graph, [],
                crew.Select(w => w.AdmittedInAll).ToArray());
            AddLogs(graph, crew, finals, detected);
            pool.Reopen();
            if (stopped is not null || crew.Any(w => w.Bound is not null)) break;
            // maxSteps by each state's distance from the root, which no search order changes: a state first reached too
            // deep is put off, and searched from once a shorter path to it is found (the shortest paths are taken over the
            // graph so far; the states put off are not yet expanded, so each pass can only shorten paths through the ones
            // it releases).
            foreach (var w in crew) { deep.AddRange(w.Deferred); w.Deferred.Clear(); }
            if (deep.Count > 0)
            {
                graph.Shorten();
                foreach (var d in deep)
                    if (graph.Depth[d.Id] < limits.MaxDepth) pool.Add(d with { Depth = graph.Depth[d.Id] });
                if (deep.RemoveAll(d => graph.Depth[d.Id] < limits.MaxDepth) > 0) continue;
            }
            // The cycle proviso: a cycle of reduced states could put off a delivery forever. Expand in full one state on
            // each such cycle (rebuilt by replaying its path), then search on from what that adds, until none is left.
            var breakers = graph.CycleBreakers(Enumerable.Range(checkedUpTo, graph.Count - checkedUpTo));
            checkedUpTo = graph.Count;
            if (breakers.Count == 0) break;
            breakerCount += breakers.Count;
            foreach (var item in Rebuild(graph, walker, breakers)) pool.Add(item);
        }
        // A stop wins over a bound met first: the search did not run to the bound's end either.
        string? incomplete = stopped ?? crew.Select(w => w.Bound).FirstOrDefault(b => b is not null) ?? (deep.Count > 0 ? limits.DepthReason : null);
        var total = new BatchResult { Steps = crew.Sum(w => w.Steps), Coverage = crew.Aggregate(0UL, (c, w) => c | w.Coverage) };
        // Kinds in one order whatever the workers met first.
        foreach (var kind in Enum.GetValues<ViolationKind>())
        {
            long count = crew.Sum(w => w.ViolationsByKind.GetValueOrDefault(kind));
            if (count > 0) total.ViolationsByKind[kind] = count;
        }
        var atRoot = Conclude(graph, total, finals, detected, decideLiveness: incomplete is null, limits.FirstViolation, model.Names,
            stopped is not null, limits.StoppedWalk, out int? depth);
        progress?.Report(new ExploreProgress(graph.Count, graph.Count, total.ViolationsByKind.Values.Sum(), graph.Count));
        return new Outcome(new ExhaustiveResult(total, graph.Count, incomplete, breakerCount, limits.FirstViolation, depth), graph, atRoot,
            crew.Select(w => w.AdmittedInAll).ToArray());
    }

    /// <summary>How many states one worker logs before the graph takes them in.</summary>
    const int FlushAt = 1 << 16;

    /// <summary>Runs every worker until the phase ends: the first on this thread, each other on a thread of its own.</summary>
    static void RunPhase(SearchWorker[] crew, WorkPool<SearchWorker.Item> pool, VisitedStates seen, SearchLimits limits, Func<SearchWorker, bool> go)
    {
        Exception? failed = null;
        var others = crew.Skip(1).Select(w => new Thread(() =>
        {
            try { w.Run(pool, seen, limits, go); }
            catch (Exception e) { Interlocked.CompareExchange(ref failed, e, null); pool.Stop(); }
        }) { IsBackground = true, Name = "search worker" }).ToArray();
        foreach (var t in others) t.Start();
        try { crew[0].Run(pool, seen, limits, go); }
        catch (Exception e) when (e is not OperationCanceledException) { pool.Stop(); throw new ModelFaultException("the exhaustive search", null, e); }
        catch { pool.Stop(); throw; }
        finally { foreach (var t in others) t.Join(); }
        if (failed is not null) throw new ModelFaultException("the exhaustive search", null, failed);
    }

    /// <summary>
    /// Adds what worker <paramref name="w"/> logged to the graph and empties its logs: its states at the ids the visited set
    /// gave them, which were reduced, its edges (each state's edges stay in the order it explored them), final states and
    /// violating transitions. Several workers each do so, under the graph's lock, whenever their logs are long enough, so
    /// the graph takes most of a search's logs while the other workers search on, not one after another at the end.
    /// </summary>
    static void AddLogs(StateGraph graph, SearchWorker w, List<(int, RunResult)> finals, List<(ViolationKind, int, int, int)> detected)
    {
        int threads = graph.Threads;
        var waits = CollectionsMarshal.AsSpan(w.Waits);
        // Room for every id the logs name at once, not one state at a time.
        int last = 0;
        foreach (var s in w.States) last = Math.Max(last, s.Id);
        foreach (var (id, _) in w.Expanded) last = Math.Max(last, id);
        foreach (var e in w.Edges) last = Math.Max(last, Math.Max(e.From, e.To));
        graph.Cover(last);
        for (int i = 0; i < w.States.Count; i++)
        {
            var s = w.States[i];
            graph.Put(s.Id, s.Parent, s.Pick, s.Choices, s.Depth, waits.Slice(i * threads, threads), s.Hash);
        }
        foreach (var (id, reduced) in w.Expanded) graph.Reduced[id] = reduced;
        foreach (var e in w.Edges) graph.AddEdge(e.From, e.To, e.Completes, e.TimesOut, e.Pick, e.Choices);
        finals.AddRange(w.Finals);
        detected.AddRange(w.Detected);
        w.Clear();
    }

    /// <summary>Adds every worker's logs at the end of a phase; every state admitted is then in the graph.</summary>
    static void AddLogs(StateGraph graph, SearchWorker[] crew, List<(int, RunResult)> finals, List<(ViolationKind, int, int, int)> detected)
    {
        foreach (var w in crew) AddLogs(graph, w, finals, detected);
        if (graph.Recorded != graph.Count) throw new InvalidOperationException($"{graph.Count - graph.Recorded} of the {graph.Count} states admitted were never logged");
    }

    /// <summary>
    /// <paramref name="states"/> again, in that order, each replayed from the root along the path that first reached it, to
    /// be expanded once more; each its own copy, since the search gives a state's arrays to its last successor. The paths
    /// are walked in lexicographic order, so each replays only past the prefix it shares with the one before (states on
    /// one cycle of the proviso's pass tend to share most of their paths).
    /// </summary>
    static SearchWorker.Item[] Rebuild(StateGraph graph, PrefixWalker walker, List<int> states)
    {
        var paths = states.Select(s => PickPath.Of(graph.PathTo(s))).ToArray();
        var order = Enumerable.Range(0, states.Count).ToArray();
        Array.Sort(order, (a, b) => PrefixWalker.Order(paths[a], graph.Depth[states[a]], paths[b], graph.Depth[states[b]]));
        var rebuilt = new SearchWorker.Item[states.Count];
        for (int j = 0; j < order.Length; j++)
        {
            int i = order[j], state = states[i];
            int shared = j + 1 < order.Length ? paths[i].AsSpan().CommonPrefixLength(paths[order[j + 1]]) : 0;
            var (c, h, r) = walker.Walk(paths[i], graph.Depth[state], shared);
            if (RunLoop.StateHash(h, r) != graph.Hashes[state]) throw new InvalidOperationException($"state {state} did not replay to itself");
            rebuilt[i] = new(state, graph.Depth[state], ArrayCopy.Of(c), ArrayCopy.Of(h), r.Clone(), true);
        }
        return rebuilt;
    }

    /// <summary>
    /// The witnesses a finished (or stopped) search leaves in <paramref name="total"/>, read off its graph: shortest paths
    /// first, then each final state judged, each kind's shallowest transition, and on an exhausted search the liveness
    /// verdicts, whose violations at the root it returns. The local search and the partitioned one both end here.
    /// <paramref name="firstViolation"/>: every violating transition ended its execution, so the graph stops at the states
    /// they leave, and a wait there may yet end past the violation (<see cref="Liveness.Ends"/>).
    /// <paramref name="stopped"/>: Ctrl+C or the timeout stopped the search, and its result is wanted within a second; the
    /// shortest paths are walked only as deep as the witnesses lie (<see cref="StateGraph.ShortenFor"/>), which keeps the
    /// same witnesses, and for at most <paramref name="walk"/> (<see cref="SearchLimits.StoppedWalk"/>): a kind whose witnesses lie deeper takes the path that
    /// first reached the first state reported to show it. The graph's depth is not measured (null).
    /// </summary>
    internal static IReadOnlyList<Violation> Conclude(StateGraph graph, BatchResult total, IEnumerable<(int Id, RunResult End)> finals,
        IEnumerable<(ViolationKind Kind, int From, int Pick, int Choices)> detected, bool decideLiveness, bool firstViolation, ScenarioNames names,
        bool stopped, TimeSpan walk, out int? depth)
    {
        if (stopped)
        {
            Debug.Assert(!decideLiveness, "a stopped search decides no liveness");
            ConcludeStopped(graph, total, finals, detected, walk);
            depth = null;
            return [];
        }

        bool[]? cut = null;
        if (firstViolation)
        {
            cut = new bool[graph.Count];
            foreach (var d in detected) cut[d.From] = true;
        }
        // Which waits can end needs only the edges, the shortest paths only the parents: both passes are bound by memory,
        // and the second core runs one while this thread runs the other. Each reads what the other does not write.
        var ends = decideLiveness ? Task.Run(() => Liveness.Ends(graph, cut)) : null;
        depth = graph.Shorten();
        foreach (var (id, end) in finals) total.Add(graph.Depth[id], end, graph.PathTo(id));
        foreach (var (kind, from, pick, choices) in detected)
            if (total.MayTake(kind, graph.Depth[from] + 1)) total.Offer(kind, graph.Depth[from] + 1, graph.PathTo(from, pick, choices));
        return ends is not null ? Liveness.Decide(graph, total, names, ends.GetAwaiter().GetResult()) : [];
    }

    /// <summary>
    /// <see cref="Conclude"/> for a stopped search: the shortest paths walked only as deep as the witnesses lie and for at
    /// most <paramref name="walk"/>; each kind the walk did not reach takes the path that first reached a state showing it.
    /// </summary>
    static void ConcludeStopped(StateGraph graph, BatchResult total, IEnumerable<(int Id, RunResult End)> finals,
        IEnumerable<(ViolationKind Kind, int From, int Pick, int Choices)> detected, TimeSpan walk)
    {
        var marks = new uint[graph.Count];
        uint wanted = 0;
        foreach (var (id, end) in finals)
            foreach (var v in end.Violations)
            {
                marks[id] |= StateGraph.MarkAt((int)v.Kind);
                wanted |= StateGraph.MarkAt((int)v.Kind);
            }
        foreach (var (kind, from, _, _) in detected)
        {
            marks[from] |= StateGraph.MarkAfter((int)kind);
            wanted |= StateGraph.MarkAt((int)kind);
        }
        var walked = graph.ShortenFor(marks, wanted, walk);
        foreach (var (id, end) in finals)
            if (walked[id]) total.Add(graph.Depth[id], end, graph.PathTo(id));
            else total.Count(end);
        foreach (var (kind, from, pick, choices) in detected)
            if (walked[from] && total.MayTake(kind, graph.Depth[from] + 1)) total.Offer(kind, graph.Depth[from] + 1, graph.PathTo(from, pick, choices));
        foreach (var (id, end) in finals)
            foreach (var v in end.Violations)
                if (!total.Witnesses.ContainsKey(v.Kind) && graph.HasPath(id)) total.Offer(v.Kind, graph.Steps(id), graph.PathTo(id));
        foreach (var (kind, from, pick, choices) in detected)
            if (!total.Witnesses.ContainsKey(kind) && graph.HasPath(from)) total.Offer(kind, graph.Steps(from) + 1, graph.PathTo(from, pick, choices));
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
