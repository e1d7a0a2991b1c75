using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// One thread of the exhaustive search (<see cref="StateSpaceSearch"/>): it expands states depth first from its own stack,
/// admits successors through the visited set all workers share, and logs what the graph needs (new states, which were
/// reduced, edges, final states, violating transitions); the search adds the logs to its graph when every worker is done
/// with a phase (a lone worker's as it goes). What it logs depends on the states it expands, not on which worker expands them.
/// </summary>
sealed class SearchWorker(ScenarioModel model, bool reduce)
{
    /// <summary>A state to expand: its id, depth, components with their hashes, execution, and whether it is expanded again (the cycle proviso).</summary>
    public readonly record struct Item(int Id, int Depth, IComponent[] C, (ulong, ulong)[] H, Execution R, bool Again);

    /// <summary>A state this worker admitted: the graph's record of it, its waits in <see cref="Waits"/> at its index.</summary>
    public readonly record struct Admitted(int Id, int Parent, int Pick, int Choices, int Depth, (ulong, ulong) Hash);

    readonly StateExpansion _expansion = new(model, reduce);
    readonly int _threads = model.Workload.Threads.Count;
    readonly List<int> _enabled = new(8);
    readonly List<Item> _stack = new();

    public readonly List<Admitted> States = new();
    public readonly List<byte> Waits = new();
    public readonly List<(int Id, bool Reduced)> Expanded = new();
    public readonly List<GraphEdge> Edges = new();
    public readonly List<(int Id, RunResult End)> Finals = new();
    public readonly List<(ViolationKind Kind, int From, int Pick, int Choices)> Detected = new();
    public readonly Dictionary<ViolationKind, long> ViolationsByKind = new();
    public long Steps, Violations;
    /// <summary>States this worker admitted over the whole search (how the work was shared).</summary>
    public int AdmittedInAll;
    public ulong Coverage;
    /// <summary>The maxStates bound, once this worker had a state refused by it; else null.</summary>
    public string? Bound;
    /// <summary>States not expanded because they were first reached maxSteps deliveries or more from the root (the search decides by their distance).</summary>
    public readonly List<Item> Deferred = new();

    /// <summary>Empties the logs once the search has read them.</summary>
    public void Clear()
    {
        States.Clear(); Waits.Clear(); Expanded.Clear(); Edges.Clear(); Finals.Clear(); Detected.Clear();
    }

    /// <summary>
    /// Searches until the phase ends: its stack and the pool are empty with every worker waiting, or the search stops.
    /// <paramref name="go"/> is asked before each expansion (stop checks, and the reporting worker's progress); false
    /// stops every worker.
    /// </summary>
    public void Run(WorkPool<Item> pool, VisitedStates seen, SearchLimits limits, Func<SearchWorker, bool> go)
    {
        Span<byte> waits = stackalloc byte[_threads];
        Span<byte> parentWaits = stackalloc byte[_threads];
        while (true)
        {
            if (_stack.Count == 0)
            {
                if (!pool.Take(out var taken)) return;
                _stack.Add(taken);
            }
            if (!go(this)) { pool.Stop(); return; }
            var item = _stack[^1];
            var (id, depth, c, hs, r, again) = item;
            _stack.RemoveAt(_stack.Count - 1);
            Coverage |= r.Invariants.Coverage;
            int n = r.Fabric.Enabled(_enabled);
            if (n == 0)
            {
                Finals.Add((id, StateSpaceSearch.Final(r)));
                continue;
            }
            if (depth >= limits.MaxDepth) { Deferred.Add(item); continue; }
            StateExpansion.Waits(c, parentWaits);
            var kind = _expansion.Expand(c, hs, r, _enabled, again, owned: true, parentWaits);
            var branches = _expansion.Branches;
            int first = _stack.Count, firstChild = -1;
            for (int i = 0; i < branches.Count; i++) seen.Touch(branches[i].Hash);
            for (int i = 0; i < branches.Count; i++)
            {
                var b = branches[i];
                Steps++;
                // Every branch a transition reaches counts, whether its state is new or merges into one known: the union is
                // then the same in any search order (a merged state keeps the coverage of the path that reached it first).
                Coverage |= b.R.Invariants.Coverage;
                for (int v = b.Found; v < b.R.Invariants.Violations.Count; v++)
                {
                    var vk = b.R.Invariants.Violations[v].Kind;
                    Detected.Add((vk, id, b.Pick, n));
                    ViolationsByKind[vk] = ViolationsByKind.GetValueOrDefault(vk) + 1;
                    Violations++;
                    if (limits.StopAtFirst) Bound ??= SearchLimits.FirstFoundReason;
                }
                // The execution ends here: no edge, known state or not, so the partitioned search (which cannot tell a
                // remote state known) builds the same graph.
                if (limits.FirstViolation && b.Violates) { _expansion.GiveBack(b); continue; }
                int child = seen.Visit(b.Hash, out bool known);
                if (child < 0) { Bound ??= limits.StatesReason; _expansion.GiveBack(b); continue; }
                if (!known)
                {
                    StateExpansion.Waits(b.C, waits);
                    States.Add(new Admitted(child, id, b.Pick, n, depth + 1, b.Hash));
                    AdmittedInAll++;
                    foreach (var w in waits) Waits.Add(w);
                    _stack.Add(new Item(child, depth + 1, b.C, b.H, b.R, false));
                    if (i == 0) firstChild = child;
                }
                Edges.Add(new GraphEdge(id, child, checked((sbyte)b.Completes), checked((sbyte)b.TimesOut), checked((ushort)b.Pick), checked((ushort)n)));
                if (known) _expansion.GiveBack(b);
            }
            branches.Clear();
            // A widened thread step keeps its place: searched first, as it is when it goes alone.
            if (_expansion.Widened && _stack.Count > first + 1 && _stack[first].Id == firstChild) (_stack[first], _stack[^1]) = (_stack[^1], _stack[first]);
            // Stopping at the first violation, the order is turned round: the oldest delivery (the first enabled) first, a
            // widened thread step last. Its answer is that order's first violation, and on the shipped workloads it meets one
            // far sooner (docs/model.md, "To the first violation of the search").
            if (limits.StopAtFirst && _stack.Count > first + 1) _stack.Reverse(first, _stack.Count - first);
            Expanded.Add((id, kind != Reduction.Kind.Full));
            if (pool.Hungry && _stack.Count > 1) pool.Give(_stack);
        }
    }
}
