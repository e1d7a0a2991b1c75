using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// The coordinator's side of the partitioned search: it gathers the partitions' reports (<see cref="PartitionDelta"/>)
/// into one <see cref="StateGraph"/> as they arrive, and reads off it what the local search reads off its own: whenever
/// every partition is quiescent, the states the cycle proviso expands again (<see cref="CycleBreakers"/>, the same
/// canonical choice), and once the search has ended the verdicts (<see cref="StateSpaceSearch.Conclude"/>): shortest
/// witnesses, final states, and on an exhausted search liveness. The graph walks each state's edges in pick order, so a
/// breadth-first pass gives each state the same shortest path as there.
/// State <c>i</c> of partition <c>p</c> is state <c>i * P + (p - r) mod P</c> of the graph (<see cref="Id"/>), r the
/// initial state's partition, so the initial state is state 0 and a report goes in at once, with no numbering to wait
/// for; a partition with fewer states than another leaves blanks, which nothing reaches (no waits, no edges).
/// </summary>
public sealed class PartitionedGraph
{
    readonly ScenarioModel _model;
    readonly int _rootOwner;
    readonly int[] _states;
    readonly StateGraph _graph;
    // States each partition had when the last cycle proviso pass ran: those since are the next pass's fresh ones.
    readonly int[] _checked;
    readonly List<(ViolationKind Kind, int From, int Pick, int Choices)> _detected = [];
    readonly List<(int Id, RunResult End)> _finals = [];
    readonly Dictionary<ViolationKind, long> _violations = [];
    ulong _coverage;
    long _steps;

    public PartitionedGraph(ScenarioModel model, int partitions)
    {
        _model = model;
        _graph = new StateGraph(model.Workload.Threads.Count);
        _states = new int[partitions];
        _checked = new int[partitions];
        _rootOwner = SearchPartition.RootOwner(model, partitions);
        // The root's path ends there, whenever its own report comes.
        _graph.Cover(0);
        _graph.Parent[0] = -1;
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

    /// <summary>The graph's id of partition <paramref name="partition"/>'s state <paramref name="local"/>.</summary>
    int Id(int partition, int local)
    {
        int p = _states.Length;
        return checked(local * p + (partition - _rootOwner + p) % p);
    }

    /// <summary>The partition and its own id of the graph's state <paramref name="id"/> (<see cref="Id"/> undone).</summary>
    (int Partition, int Local) Owner(int id)
    {
        int p = _states.Length;
        return ((id % p + _rootOwner) % p, id / p);
    }

    public void Add(PartitionDelta d)
    {
        int p = d.Partition;
        _states[p] = Math.Max(_states[p], d.States);
        _coverage |= d.Coverage;
        _steps += d.Steps;
        CutAtDepth |= d.CutAtDepth;
        CutAtStates |= d.CutAtStates;
        Bytes += d.Bytes;
        int threads = _graph.Threads;
        for (var r = new PackedReader(d.Waits); r.More;)
        {
            int s = Id(p, r.Int());
            var waits = r.Bytes(threads);
            bool reduced = r.Byte() != 0;
            var hash = r.Hash();
            _graph.Record(s, waits, hash);
            _graph.Reduced[s] = reduced;
        }
        for (var r = new PackedReader(d.Edges); r.More;)
        {
            int from = Id(r.Int(), r.Int()), to = Id(p, r.Int());
            int completes = r.Byte() - 1, timesOut = r.Byte() - 1, pick = r.Pick(), choices = r.Pick();
            _graph.Cover(Math.Max(from, to));
            _graph.AddEdge(from, to, completes, timesOut, pick, choices);
            // A partition reports the edges into its states in the order it took them in: the first edge into a state is
            // the one that admitted it, from a state admitted earlier, so these paths end at the root. A stopped search's
            // witnesses take them where its walk for shortest paths did not reach (StateSpaceSearch.Conclude).
            _graph.ReachedBy(to, from, pick, choices);
        }
        for (var r = new PackedReader(d.Detected); r.More;)
        {
            var kind = (ViolationKind)r.Byte();
            _detected.Add((kind, Id(p, r.Int()), r.Pick(), r.Pick()));
            _violations[kind] = _violations.GetValueOrDefault(kind) + 1;
        }
        for (int i = 0; i < d.FinalIds.Length; i++) _finals.Add((Id(p, d.FinalIds[i]), d.Finals[i]));
    }

    /// <summary>
    /// Once every partition is quiescent (nothing queued, nothing in flight) and no bound cut the search: the states the
    /// cycle proviso expands again (<see cref="StateGraph.CycleBreakers"/> over the states added since the last pass),
    /// packed for their owners (<see cref="SearchPartition.Revisit"/>) by partition, each with its shortest path; empty
    /// arrays when there are none, and the search has ended.
    /// </summary>
    public byte[][] CycleBreakers()
    {
        _graph.Shorten();
        var fresh = new List<int>();
        for (int p = 0; p < _states.Length; p++)
        {
            for (int s = _checked[p]; s < _states[p]; s++) fresh.Add(Id(p, s));
            _checked[p] = _states[p];
        }
        var packed = _states.Select(_ => new PackedWriter()).ToArray();
        foreach (int s in _graph.CycleBreakers(fresh))
        {
            var (p, local) = Owner(s);
            var picks = PickPath.Of(_graph.PathTo(s));
            var w = packed[p];
            w.Number(local);
            w.Number(_graph.Depth[s]);
            w.Number(picks.Length);
            w.Bytes(picks);
            w.Hash(_graph.Hashes[s]);
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
        var total = new BatchResult { Steps = _steps, Coverage = _coverage };
        foreach (var (kind, count) in _violations) total.ViolationsByKind[kind] = count;
        StateSpaceSearch.Conclude(_graph, total, _finals, _detected, decideLiveness: incomplete is null, limits.FirstViolation, _model.Names,
            stopped is not null, limits.StoppedWalk, out int? depth);
        return new ExhaustiveResult(total, States, incomplete, Breakers, limits.FirstViolation, depth);
    }
}
