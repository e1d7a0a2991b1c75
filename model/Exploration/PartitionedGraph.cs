using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// The coordinator's side of the partitioned search: it gathers the partitions' reports (<see cref="PartitionDelta"/>)
/// and, once the search has ended, numbers every state (the initial state's partition first, so it is state 0), builds
/// the one <see cref="StateGraph"/> and reads the verdicts off it exactly as the local search does
/// (<see cref="StateSpaceSearch.Conclude"/>): shortest witnesses, final states, and on an exhausted search liveness.
/// Edges go in by source state and pick, the order the local search adds them in, so a breadth-first pass gives each
/// state the same shortest path as there.
/// </summary>
public sealed class PartitionedGraph
{
    readonly ScenarioModel _model;
    readonly int _rootOwner;
    readonly int[] _states;
    readonly List<PartitionDelta> _reports = [];
    ulong _coverage;
    long _steps;
    bool _cutAtDepth, _cutAtStates;

    public PartitionedGraph(ScenarioModel model, int partitions)
    {
        _model = model;
        _states = new int[partitions];
        _rootOwner = SearchPartition.RootOwner(model, partitions);
    }

    /// <summary>Distinct states admitted so far, over every partition.</summary>
    public long States => _states.Sum(s => (long)s);

    /// <summary>Each partition's states so far.</summary>
    public IReadOnlyList<int> StatesByPartition => _states;

    /// <summary>Bytes of the packed reports gathered.</summary>
    public long Bytes { get; private set; }

    public void Add(PartitionDelta d)
    {
        _states[d.Partition] = Math.Max(_states[d.Partition], d.States);
        _coverage |= d.Coverage;
        _steps += d.Steps;
        _cutAtDepth |= d.CutAtDepth;
        _cutAtStates |= d.CutAtStates;
        Bytes += d.Bytes;
        if (d.Waits.Length + d.Edges.Length + d.Detected.Length + d.FinalIds.Length > 0) _reports.Add(d);
    }

    /// <summary>
    /// The result once every partition has reported its last: <paramref name="stopped"/> says what stopped the search
    /// early (cancelled, the timeout), else it ended by itself, cut by a bound or not.
    /// </summary>
    public ExhaustiveResult Conclude(SearchLimits limits, string? stopped)
    {
        string? incomplete = stopped ?? (_cutAtStates ? limits.StatesReason : _cutAtDepth ? limits.DepthReason : null);
        int threads = _model.Workload.Threads.Count;
        var first = new int[_states.Length];
        int count = _states[_rootOwner];
        for (int p = 0; p < _states.Length; p++)
            if (p != _rootOwner) { first[p] = count; count += _states[p]; }

        var waits = new byte[(long)count * threads];
        var edges = new List<(int From, int To, int Completes, int TimesOut, int Pick, int Choices)>();
        var detected = new List<(ViolationKind Kind, int From, int Pick, int Choices)>();
        var finals = new List<(int Id, RunResult End)>();
        var total = new BatchResult { Steps = _steps, Coverage = _coverage };
        foreach (var d in _reports)
        {
            int here = first[d.Partition];
            for (var r = new PackedReader(d.Waits); r.More;)
            {
                int s = here + r.Int();
                r.Bytes(threads).CopyTo(waits.AsSpan(s * threads));
            }
            for (var r = new PackedReader(d.Edges); r.More;)
            {
                int from = first[r.Int()] + r.Int(), to = here + r.Int();
                edges.Add((from, to, r.Byte() - 1, r.Byte() - 1, r.Byte(), r.Byte()));
            }
            for (var r = new PackedReader(d.Detected); r.More;)
            {
                var kind = (ViolationKind)r.Byte();
                detected.Add((kind, here + r.Int(), r.Byte(), r.Byte()));
                total.ViolationsByKind[kind] = total.ViolationsByKind.GetValueOrDefault(kind) + 1;
            }
            for (int i = 0; i < d.FinalIds.Length; i++) finals.Add((here + d.FinalIds[i], d.Finals[i]));
        }

        var graph = new StateGraph(threads);
        for (int s = 0; s < count; s++) graph.Add(-1, 0, 1, 0, waits.AsSpan(s * threads, threads));
        graph.Edges.AddRange(edges.OrderBy(e => e.From).ThenBy(e => e.Pick));
        StateSpaceSearch.Conclude(graph, total, finals, detected, decideLiveness: incomplete is null, _model.Names);
        return new ExhaustiveResult(total, count, incomplete);
    }
}
