using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// One partition of the partitioned exhaustive search (as distributed TLC and PReach split theirs): it owns the
/// states whose hash falls to it (<see cref="Owner"/>), keeps their visited set, and expands them. Expanding a state
/// explores the deliveries the local search explores from it (<see cref="StateExpansion"/>: the persistent set, a
/// function of the state alone) and hashes each successor. A successor this partition owns is admitted at once and expanded from memory,
/// depth first, as the local search does. Any other travels to its owner in a batch per owner, as its path from the
/// initial state (the parent's picks and deliveries, then its own pick: <see cref="PrefixWalker"/>) with what the edge
/// did to each thread's wait; the owner admits it if new, records the edge, and rebuilds it by replay when it expands
/// it, so no model type needs a wire form. What the coordinator needs for the verdicts (each state's waits, the edges,
/// final states, violations found on transitions, which states were reduced) accumulates in a <see cref="PartitionDelta"/>.
/// When the whole search is quiescent the coordinator may send back states of this partition that the cycle proviso
/// expands again (<see cref="Revisit"/>), with their paths: they are rebuilt and expanded with what their sets left out.
/// Single-threaded: its host feeds it batches and grants, and carries its batches to the other partitions.
/// </summary>
public sealed class SearchPartition
{
    readonly record struct Item(int Local, byte[] Picks, int Steps, (ulong, ulong) Hash);

    /// <summary>How large a batch to another partition grows before it goes while there is work left (about 800 successors).</summary>
    public const int BatchBytes = 16 << 10;

    readonly long _maxDepth;
    readonly bool _firstViolation;
    readonly StateSet _seen = new();
    // Admitted states that came as paths, to be rebuilt by replay.
    readonly Queue<Item> _queue = new();
    // Admitted states this partition reached itself, kept as states: no replay.
    readonly Stack<(Item Item, IComponent[] C, (ulong, ulong)[] H, Execution R)> _near = new();
    readonly Queue<byte[]> _inbound = new();
    // States the cycle proviso expands again.
    readonly Queue<Item> _again = new();
    readonly PrefixWalker _walker;
    readonly PackedWriter[] _out;
    readonly int[] _outEntries;
    readonly List<(int Dest, (ulong, ulong) Hash, int Pick, int Completes, int TimesOut)> _far = [];
    readonly List<int> _enabled = new(8);
    readonly StateExpansion _expansion;
    readonly byte[] _waits;
    readonly PackedWriter _waitLog = new(), _edgeLog = new(), _detectedLog = new();
    readonly List<int> _finalIds = [];
    readonly List<RunResult> _finals = [];
    ulong _coverage;
    long _steps;
    bool _cutAtDepth, _cutAtStates, _exhausted, _needsGrant;
    long _allowance;

    // The inbound batch being absorbed: where in it, and the group (one sender's state) the next entry belongs to.
    PackedReader _reader;
    byte[]? _batch;
    int _sender, _groupLeft, _parent, _parentSteps;
    byte[] _parentPicks = [];

    public int Index { get; }
    public int Partitions { get; }

    /// <summary>States this partition admitted.</summary>
    public int States => _seen.Count;

    /// <summary>Successors sent to other partitions: the search's traffic, in entries.</summary>
    public long EntriesSent { get; private set; }

    /// <summary>Deliveries replayed to rebuild states from their paths.</summary>
    public long Replayed => _walker.Replayed;

    /// <param name="firstViolation">A violating transition ends its execution (<see cref="SearchLimits.FirstViolation"/>).</param>
    public SearchPartition(ScenarioModel model, int index, int partitions, long maxDepth, bool firstViolation = false)
    {
        Index = index;
        Partitions = partitions;
        _maxDepth = maxDepth;
        _firstViolation = firstViolation;
        _waits = new byte[model.Workload.Threads.Count];
        _walker = new PrefixWalker(model);
        _expansion = new StateExpansion(model);
        _out = Enumerable.Range(0, partitions).Select(_ => new PackedWriter()).ToArray();
        _outEntries = new int[partitions];
        var (c, h, r) = _walker.Root;
        var root = RunLoop.StateHash(h, r);
        // The initial state is admitted by its owner without a grant: the bound counts it as the search's first state.
        if (Owner(root, partitions) == index) _queue.Enqueue(new Item(Admit(root), [], 0, root));
    }

    /// <summary>
    /// The partition that owns a state: from the hash's second word, since the visited set's slots come from the
    /// first (a partition whose states all shared the first word's low bits would crowd its table).
    /// </summary>
    public static int Owner((ulong, ulong) hash, int partitions) => (int)(hash.Item2 % (ulong)partitions);

    /// <summary>The partition that owns the initial state: the coordinator numbers its states first.</summary>
    public static int RootOwner(ScenarioModel model, int partitions)
    {
        var c = model.CreateComponents(untimed: true);
        return Owner(RunLoop.StateHash(c.Select(RunLoop.ComponentHash).ToArray(), model.NewSearchExecution()), partitions);
    }

    /// <summary>A batch another partition (or this one) sent: taken in by the next <see cref="Work"/>.</summary>
    public void Enqueue(byte[] batch) => _inbound.Enqueue(batch);

    public bool HasInbound => _batch is not null || _inbound.Count > 0;

    public bool HasWork => _queue.Count > 0 || _near.Count > 0 || _again.Count > 0;

    /// <summary>
    /// States of this partition to expand again for the cycle proviso, packed by <see cref="PartitionedGraph.CycleBreakers"/>:
    /// each one's local id, its path's length and picks, and its hash (checked when it is rebuilt).
    /// </summary>
    public void Revisit(byte[] states)
    {
        for (var r = new PackedReader(states); r.More;)
        {
            int local = r.Int(), steps = r.Int();
            var picks = r.Bytes(r.Int()).ToArray();
            _again.Enqueue(new Item(local, picks, steps, r.Hash()));
        }
    }

    /// <summary>
    /// One round of work: takes in every batch received, then expands about <paramref name="most"/> states.
    /// <paramref name="leave"/> asks the coordinator for leave to admit more states (the maxStates bound): it answers
    /// how many, 0 once the bound is given out, after which every new state is cut. Asked when a new state waits for
    /// it, and ahead of a round when less than a round's worth is left.
    /// </summary>
    public void Work(Func<long> leave, int most)
    {
        for (Absorb(); _needsGrant; Absorb()) Grant(leave());
        if (!_exhausted && _allowance < most && HasWork) Grant(leave());
        Expand(most);
    }

    void Grant(long states)
    {
        _needsGrant = false;
        if (states == 0) _exhausted = true;
        _allowance += states;
    }

    /// <summary>Takes in the successors batches carry: new ones are admitted and queued, every one's edge recorded. Stops at a grant needed.</summary>
    void Absorb()
    {
        while (!_needsGrant)
        {
            if (_groupLeft == 0 && !NextGroup()) return;
            int entry = _reader.At;
            var hash = _reader.Hash();
            int pick = _reader.Pick(), choices = _reader.Pick();
            int completes = _reader.Byte() - 1, timesOut = _reader.Byte() - 1;
            if (!_seen.TryGetValue(hash, out int local))
            {
                if (!MayAdmit())
                {
                    // Read again once the grant came.
                    if (_needsGrant) _reader = new PackedReader(_batch!, entry);
                    else _groupLeft--;
                    continue;
                }
                local = Admit(hash);
                _queue.Enqueue(new Item(local, choices > 1 ? PickPath.With(_parentPicks, pick) : _parentPicks, _parentSteps + 1, hash));
            }
            _groupLeft--;
            Edge(_sender, _parent, local, completes, timesOut, pick, choices);
        }
    }

    /// <summary>Moves to the next group of successors (one sender's state), or returns false when every batch is absorbed.</summary>
    bool NextGroup()
    {
        while (_batch is null || !_reader.More)
        {
            if (!_inbound.TryDequeue(out _batch)) return false;
            _reader = new PackedReader(_batch);
            _sender = _reader.Int();
        }
        _parent = _reader.Int();
        _parentSteps = _reader.Int();
        _parentPicks = _reader.Bytes(_reader.Int()).ToArray();
        _groupLeft = _reader.Int();
        return true;
    }

    /// <summary>Whether a new state may be admitted under the bound; false, and leave is needed, when it must be asked for first.</summary>
    bool MayAdmit()
    {
        if (_allowance > 0)
        {
            _allowance--;
            return true;
        }
        if (_exhausted) _cutAtStates = true;
        else _needsGrant = true;
        return false;
    }

    /// <summary>Reports an expanded state: its waits, whether it was reduced (the coordinator's cycle proviso needs both), its hash.</summary>
    void Expanded(Item item, bool reduced)
    {
        _waitLog.Number(item.Local);
        _waitLog.Bytes(_waits);
        _waitLog.Byte(reduced ? 1 : 0);
        _waitLog.Hash(item.Hash);
    }

    int Admit((ulong, ulong) hash)
    {
        int local = _seen.Count;
        _seen.Add(hash, local);
        return local;
    }

    void Edge(int sender, int parent, int local, int completes, int timesOut, int pick, int choices)
    {
        _edgeLog.Number(sender);
        _edgeLog.Number(parent);
        _edgeLog.Number(local);
        _edgeLog.Byte(completes + 1);
        _edgeLog.Byte(timesOut + 1);
        _edgeLog.Pick(pick);
        _edgeLog.Pick(choices);
    }

    /// <summary>
    /// Expands about <paramref name="most"/> states: first those kept in memory, depth first; then queued paths, in
    /// lexicographic order so that one replay serves every state below a shared prefix, each followed by what it
    /// reaches here. Successors for other partitions go to the outbound batches (<see cref="TakeBatches"/>).
    /// </summary>
    void Expand(int most)
    {
        int done = 0;
        for (; done < most && _again.TryDequeue(out var again); done++)
        {
            var (c, h, r) = Rebuilt(again, 0);
            ExpandOne(again, c, h, r, owned: false, again: true);
        }
        done += Near(most - done);
        if (done >= most || _queue.Count == 0) return;
        var items = new Item[Math.Min(most - done, _queue.Count)];
        for (int i = 0; i < items.Length; i++) items[i] = _queue.Dequeue();
        Array.Sort(items, (a, b) => PrefixWalker.Order(a.Picks, a.Steps, b.Picks, b.Steps));
        for (int i = 0; i < items.Length; i++)
        {
            var item = items[i];
            // The next round's paths are unknown: this round's last is kept whole, as the likeliest to share with them.
            int shared = i + 1 < items.Length ? item.Picks.AsSpan().CommonPrefixLength(items[i + 1].Picks) : item.Picks.Length;
            var (c, h, r) = Rebuilt(item, shared);
            ExpandOne(item, c, h, r, owned: false, again: false);
            done += 1 + Near(Math.Max(0, most - done));
        }
    }

    /// <summary>The state of <paramref name="item"/>, replayed from its path (<see cref="PrefixWalker.Walk"/>); the caller must not change it.</summary>
    (IComponent[] C, (ulong, ulong)[] H, Execution R) Rebuilt(Item item, int shared)
    {
        var (c, h, r) = _walker.Walk(item.Picks, item.Steps, shared);
        if (RunLoop.StateHash(h, r) != item.Hash) throw new InvalidOperationException($"partition {Index}: the replayed path of state {item.Local} reaches another state");
        return (c, h, r);
    }

    /// <summary>Expands up to <paramref name="most"/> of the states kept in memory; returns how many.</summary>
    int Near(int most)
    {
        int done = 0;
        for (; done < most && _near.TryPop(out var n); done++) ExpandOne(n.Item, n.C, n.H, n.R, owned: true, again: false);
        return done;
    }

    /// <param name="owned">The state's arrays and execution are its own (not the walker's): the last successor takes them over.</param>
    /// <param name="again">Expanded before through a persistent set: now with what that set left out (the cycle proviso).</param>
    void ExpandOne(Item item, IComponent[] c, (ulong, ulong)[] h, Execution r, bool owned, bool again)
    {
        _coverage |= r.Invariants.Coverage;
        StateExpansion.Waits(c, _waits);
        int n = r.Fabric.Enabled(_enabled);
        if (n == 0)
        {
            Expanded(item, reduced: false);
            _finalIds.Add(item.Local);
            _finals.Add(StateSpaceSearch.Final(r));
            return;
        }
        if (item.Steps >= _maxDepth)
        {
            Expanded(item, reduced: false);
            _cutAtDepth = true;
            return;
        }
        if (n > PickPath.Max) throw new InvalidOperationException($"{n} messages enabled at once: a path records picks up to {PickPath.Max}");
        var kind = _expansion.Expand(c, h, r, _enabled, again, owned, _waits);
        Expanded(item, reduced: kind != Reduction.Kind.Full);
        _far.Clear();
        foreach (var b in _expansion.Branches)
        {
            _steps++;
            // Every branch a transition reaches counts, merged into a known state or not: the union is the same in any order.
            _coverage |= b.R.Invariants.Coverage;
            for (int v = b.Found; v < b.R.Invariants.Violations.Count; v++)
            {
                _detectedLog.Byte((int)b.R.Invariants.Violations[v].Kind);
                _detectedLog.Number(item.Local);
                _detectedLog.Pick(b.Pick);
                _detectedLog.Pick(n);
            }
            if (_firstViolation && b.Violates) continue;
            int dest = Owner(b.Hash, Partitions);
            if (dest == Index)
            {
                if (_seen.TryGetValue(b.Hash, out int local))
                {
                    Edge(Index, item.Local, local, b.Completes, b.TimesOut, b.Pick, n);
                    continue;
                }
                // Without leave in hand it goes through this partition's own batch instead, where Absorb waits for the grant.
                if (_allowance > 0 || _exhausted)
                {
                    if (!MayAdmit()) continue;
                    local = Admit(b.Hash);
                    _near.Push((new Item(local, n > 1 ? PickPath.With(item.Picks, b.Pick) : item.Picks, item.Steps + 1, b.Hash), b.C, b.H, b.R));
                    Edge(Index, item.Local, local, b.Completes, b.TimesOut, b.Pick, n);
                    continue;
                }
            }
            _far.Add((dest, b.Hash, b.Pick, b.Completes, b.TimesOut));
        }
        _expansion.Branches.Clear();
        // A group per owner: this state's path once, then its successors there.
        for (int dest = 0; dest < Partitions; dest++)
        {
            int count = 0;
            foreach (var f in _far) if (f.Dest == dest) count++;
            if (count == 0) continue;
            var w = _out[dest];
            if (w.Length == 0) w.Number(Index);
            w.Number(item.Local);
            w.Number(item.Steps);
            w.Number(item.Picks.Length);
            w.Bytes(item.Picks);
            w.Number(count);
            foreach (var f in _far)
            {
                if (f.Dest != dest) continue;
                w.Hash(f.Hash);
                w.Pick(f.Pick);
                w.Pick(n);
                w.Byte(f.Completes + 1);
                w.Byte(f.TimesOut + 1);
            }
            _outEntries[dest] += count;
        }
    }

    /// <summary>
    /// The outbound batches written since the last call, by destination partition (this one's own included). While this
    /// partition has work left, a batch waits until it holds <see cref="BatchBytes"/>: fewer, larger messages.
    /// </summary>
    public List<(int Dest, byte[] Batch, int Entries)> TakeBatches()
    {
        var batches = new List<(int, byte[], int)>();
        int least = HasWork || HasInbound ? BatchBytes : 1;
        for (int dest = 0; dest < Partitions; dest++)
        {
            if (_out[dest].Length < (dest == Index ? 1 : least)) continue;
            if (dest != Index) EntriesSent += _outEntries[dest];
            batches.Add((dest, _out[dest].Take(), _outEntries[dest]));
            _outEntries[dest] = 0;
        }
        return batches;
    }

    /// <summary>What the coordinator has not had yet of this partition's part of the graph and verdicts.</summary>
    public PartitionDelta TakeDelta()
    {
        var d = new PartitionDelta(Index, States, _waitLog.Take(), _edgeLog.Take(), _detectedLog.Take(), [.. _finalIds], [.. _finals],
            _coverage, _steps, _cutAtDepth, _cutAtStates);
        _finalIds.Clear();
        _finals.Clear();
        _steps = 0;
        return d;
    }
}
