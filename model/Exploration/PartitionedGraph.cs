using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// The coordinator's side of the partitioned search: it gathers the partitions' reports (<see cref="PartitionDelta"/>),
/// numbers every state (the initial state's partition first, so it is state 0) into one <see cref="StateGraph"/>, and
/// reads off it what the local search reads off its own: whenever every partition is quiescent, the states the cycle
/// proviso expands again (<see cref="CycleBreakers"/>, the same canonical choice), and once the search has ended the
/// verdicts (<see cref="StateSpaceSearch.Conclude"/>): shortest witnesses, final states, and on an exhausted search
/// liveness. The graph walks each state's edges in pick order, so a breadth-first pass gives each state the same
/// shortest path as there.
/// </summary>
public sealed class PartitionedGraph
{
    readonly ScenarioModel _model;
    readonly int _threads;
    readonly int _rootOwner;
    readonly int[] _states;
    // Per partition, by local id: each expanded state's waits (a byte per thread), whether it was reduced, its hash.
    readonly List<byte>[] _waits;
    readonly List<bool>[] _reduced;
    readonly List<(ulong, ulong)>[] _hashes;
    // States each partition had when the last cycle proviso pass ran: those since are the next pass's fresh ones.
    readonly int[] _checked;
    readonly List<(int FromPartition, int From, int ToPartition, int To, int Completes, int TimesOut, int Pick, int Choices)> _edges = [];
    readonly List<(ViolationKind Kind, int Partition, int From, int Pick, int Choices)> _detected = [];
    readonly List<(int Partition, int Id, RunResult End)> _finals = [];
    readonly Dictionary<ViolationKind, long> _violations = [];
    ulong _coverage;
    long _steps;

    public PartitionedGraph(ScenarioModel model, int partitions)
    {
        _model = model;
        _threads = model.Workload.Threads.Count;
        _states = new int[partitions];
        _checked = new int[partitions];
        _waits = Enumerable.Range(0, partitions).Select(_ => new List<byte>()).ToArray();
        _reduced = Enumerable.Range(0, partitions).Select(_ => new List<bool>()).ToArray();
        _hashes = Enumerable.Range(0, partitions).Select(_ => new List<(ulong, ulong)>()).ToArray();
        _rootOwner = SearchPartition.RootOwner(model, partitions);
    }

    /// <summary>Distinct states admitted so far, over every partition.</summary>
    public long States => _states.Sum(s => (long)s);

    /// <summary>Each partition's states so far.</summary>
    public IReadOnlyList<int> StatesByPartition => _states;

    /// <summary>Violations reported on transitions so far; final states and liveness are judged at the end.</summary>
    public long ViolationsSoFar => _violations.Values.Sum();

    /// <summary>Bytes of the packed reports gathered.</summary>
    public long Bytes { get; private set; }

    /// <summary>A bound cut the search: no proviso pass then, and the result is INCOMPLETE.</summary>
    public bool CutAtDepth { get; private set; }
    public bool CutAtStates { get; private set; }

    /// <summary>States the cycle proviso has sent back to be expanded again, over every pass.</summary>
    public int Breakers { get; private set; }

    public void Add(PartitionDelta d)
    {
        int p = d.Partition;
        _states[p] = Math.Max(_states[p], d.States);
        _coverage |= d.Coverage;
        _steps += d.Steps;
        CutAtDepth |= d.CutAtDepth;
        CutAtStates |= d.CutAtStates;
        Bytes += d.Bytes;
        for (var r = new PackedReader(d.Waits); r.More;)
        {
            int s = r.Int();
            var waits = r.Bytes(_threads);
            bool reduced = r.Byte() != 0;
            var hash = r.Hash();
            while (_reduced[p].Count <= s)
            {
                _reduced[p].Add(false);
                _hashes[p].Add(default);
                for (int t = 0; t < _threads; t++) _waits[p].Add(0);
            }
            for (int t = 0; t < _threads; t++) _waits[p][s * _threads + t] = waits[t];
            _reduced[p][s] = reduced;
            _hashes[p][s] = hash;
        }
        for (var r = new PackedReader(d.Edges); r.More;)
            _edges.Add((r.Int(), r.Int(), p, r.Int(), r.Byte() - 1, r.Byte() - 1, r.Byte(), r.Byte()));
        for (var r = new PackedReader(d.Detected); r.More;)
        {
            var kind = (ViolationKind)r.Byte();
            _detected.Add((kind, p, r.Int(), r.Byte(), r.Byte()));
            _violations[kind] = _violations.GetValueOrDefault(kind) + 1;
        }
        for (int i = 0; i < d.FinalIds.Length; i++) _finals.Add((p, d.FinalIds[i], d.Finals[i]));
    }

    /// <summary>
    /// Once every partition is quiescent (nothing queued, nothing in flight) and no bound cut the search: the states the
    /// cycle proviso expands again (<see cref="StateGraph.CycleBreakers"/> over the states added since the last pass),
    /// packed for their owners (<see cref="SearchPartition.Revisit"/>) by partition, each with its shortest path; empty
    /// arrays when there are none, and the search has ended.
    /// </summary>
    public byte[][] CycleBreakers()
    {
        var (graph, first) = Build();
        graph.Shorten();
        var fresh = new List<int>();
        for (int p = 0; p < _states.Length; p++)
        {
            for (int s = _checked[p]; s < _states[p]; s++) fresh.Add(first[p] + s);
            _checked[p] = _states[p];
        }
        var packed = _states.Select(_ => new PackedWriter()).ToArray();
        foreach (int s in graph.CycleBreakers(fresh))
        {
            int p = 0;
            while (s < first[p] || s >= first[p] + _states[p]) p++;
            var picks = graph.PathTo(s).Select(k => checked((byte)k)).ToArray();
            var w = packed[p];
            w.Number(s - first[p]);
            w.Number(graph.Depth[s]);
            w.Number(picks.Length);
            w.Bytes(picks);
            w.Hash(graph.Hashes[s]);
            Breakers++;
        }
        return packed.Select(w => w.Take()).ToArray();
    }

    /// <summary>
    /// The result once every partition has reported its last: <paramref name="stopped"/> says what stopped the search
    /// early (cancelled, the timeout), else it ended by itself, cut by a bound or not.
    /// </summary>
    public ExhaustiveResult Conclude(SearchLimits limits, string? stopped)
    {
        string? incomplete = stopped ?? (CutAtStates ? limits.StatesReason : CutAtDepth ? limits.DepthReason : null);
        var (graph, first) = Build();
        var total = new BatchResult { Steps = _steps, Coverage = _coverage };
        foreach (var (kind, count) in _violations) total.ViolationsByKind[kind] = count;
        StateSpaceSearch.Conclude(graph, total, _finals.Select(f => (first[f.Partition] + f.Id, f.End)),
            _detected.Select(d => (d.Kind, first[d.Partition] + d.From, d.Pick, d.Choices)), decideLiveness: incomplete is null, limits.FirstViolation, _model.Names,
            stopped is not null, out int? depth);
        return new ExhaustiveResult(total, graph.Count, incomplete, Breakers, limits.FirstViolation, depth);
    }

    /// <summary>The graph of every state reported, and where each partition's states start in its numbering.</summary>
    (StateGraph Graph, int[] First) Build()
    {
        var first = new int[_states.Length];
        int count = _states[_rootOwner];
        for (int p = 0; p < _states.Length; p++)
            if (p != _rootOwner) { first[p] = count; count += _states[p]; }
        var graph = new StateGraph(_threads);
        var none = new byte[_threads];
        for (int s = 0; s < count; s++) graph.Add(-1, 0, 1, 0, none, default);
        for (int p = 0; p < _states.Length; p++)
            for (int s = 0; s < _reduced[p].Count; s++)
            {
                int g = first[p] + s;
                for (int t = 0; t < _threads; t++) graph.Waits[g * _threads + t] = _waits[p][s * _threads + t];
                graph.Reduced[g] = _reduced[p][s];
                graph.Hashes[g] = _hashes[p][s];
            }
        foreach (var e in _edges)
            graph.AddEdge(first[e.FromPartition] + e.From, first[e.ToPartition] + e.To, e.Completes, e.TimesOut, e.Pick, e.Choices);
        return (graph, first);
    }
}
