using System.Numerics;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// The partial-order reduction of the exhaustive search: which of a state's enabled deliveries it explores, a
/// persistent set (every execution from the state has a reordering that starts with one of them and shows the same
/// violations and waits; docs/model.md, "Search", says why each set is one). Deliveries are grouped by the
/// <em>resource</em> they act on: one memory word, the barriers, the SMMU. Under loads=armv8 a write also takes the
/// next stamp of the write order, shared or exclusively (<see cref="Order"/>). A driver thread is no resource: it is
/// blocked on one request at a time, so its next step waits for a delivery to the resource that request went to.
/// </summary>
sealed class Reduction
{
    /// <summary>Which rule chose the set: a thread's reply alone, one load's read choices, the resources' closure, or none (every delivery).</summary>
    public enum Kind : byte { Full, ThreadStep, ReadChoices, Closure }

    readonly Layout _layout;
    readonly bool _armv8;
    readonly bool[] _keepsOlder;   // per location: memory keeps its older writes (armv8)
    // Two marks in R for the write order: an exclusive access is in the set, so every access must be; a shared one is,
    // so every exclusive access must be.
    readonly int _smmu, _barrier, _orderAll, _orderExclusive;
    readonly bool[] _inR, _base;
    int[] _res = new int[16];
    OrderAccess[] _order = new OrderAccess[16];
    bool _threadSteps;   // the set also holds the enabled threads' steps (Widen)
    bool[] _enabled = new bool[16];
    ulong[] _blockers = new ulong[16];   // per message in flight to a resource and held back: the messages it waits for
    ulong _smmuReads;                    // the SMMU's reads in flight

    readonly bool _reduce;

    /// <param name="reduce">False: every state explores every enabled delivery (no reduction, to cross-check it).</param>
    public Reduction(ScenarioModel model, bool reduce = true)
    {
        _reduce = reduce;
        _layout = model.Layout;
        _armv8 = model.Variant.Loads == Loads.Armv8;
        _keepsOlder = Enumerable.Range(0, _layout.MemoryLocations)
            .Select(loc => _layout.KeepsOlderWrites(loc, model.Variant.OwnerProdSpin == OwnerProdSpin.Armv8)).ToArray();
        _smmu = _layout.MemoryLocations;
        _barrier = _smmu + 1;
        _orderAll = _barrier + 1;
        _orderExclusive = _barrier + 2;
        _inR = new bool[_orderExclusive + 1];
        _base = new bool[_orderExclusive + 1];
    }

    /// <summary>Fills <paramref name="into"/> with the positions in <paramref name="enabled"/> to explore.</summary>
    public Kind Choose(Fabric f, IComponent[] c, List<int> enabled, List<int> into)
    {
        into.Clear();
        int n = enabled.Count;
        if (!_reduce)
        {
            for (int k = 0; k < n; k++) into.Add(k);
            return Kind.Full;
        }
        int only = ThreadStep(f, enabled);
        if (only >= 0) { into.Add(only); return n > 1 ? Kind.ThreadStep : Kind.Full; }
        if (f.ReadChoices(enabled) is (>= 0, var last) group)
        {
            for (int k = group.First; k <= last; k++) into.Add(k);
            return into.Count < n ? Kind.ReadChoices : Kind.Full;
        }
        if (n > 1 && Closure(f, c, enabled, into) && into.Count < n) return Kind.Closure;
        into.Clear();
        for (int k = 0; k < n; k++) into.Add(k);
        return Kind.Full;
    }

    /// <summary>
    /// A delivery to a driver thread that may go first on its own, or -1: when every other message in flight to that
    /// thread is its own timeout not yet due, nothing else can reach the thread before it and none of those can fire while
    /// it is enabled. A due timeout is no such step: the wait it ends may still be answered. When the step turns out to
    /// report to the oracle, the search widens the set (<see cref="Widen"/>).
    /// </summary>
    static int ThreadStep(Fabric f, List<int> enabled)
    {
        for (int k = 0; k < enabled.Count; k++)
        {
            var m = f.Peek(enabled[k]);
            if (m.Dst < Layout.FirstThread || m.Class is DelayClass.Timeout or DelayClass.Expired) continue;
            if (f.OnlyTimeoutsBesides(enabled[k])) return k;
        }
        return -1;
    }

    /// <summary>
    /// A thread's step that told the oracle of a batch committed, written or validated does not commute with the SMMU's
    /// deliveries (its fetches and executions are checked against that record: a command run before its validation
    /// would count as never run) nor with other threads' steps (which write the same record). Then the set must also
    /// hold the closure of the SMMU and every other thread's enabled step: <paramref name="into"/> gets those positions
    /// (the step's own among them) and the result is <see cref="Kind.Closure"/>; <see cref="Kind.Full"/> when that is every
    /// delivery; <see cref="Kind.ThreadStep"/> when the step may still go alone. Its other reports may go first: an unmap
    /// returned only raises the generation retired, and the stale-translation check only ever holds more often with a
    /// higher one; the drain's end only makes the commit-after-drain check hold, and nothing before it in the thread's
    /// own order can clear it again (only resume's STOP clear does).
    /// </summary>
    public Kind Widen(Fabric f, IComponent[] c, List<int> enabled, List<ModelEvent> events, List<int> into)
    {
        foreach (var e in events)
            if (e.Kind() is EventKind.Committed or EventKind.SlotWritten or EventKind.ValidSet)
            {
                into.Clear();
                return Closure(f, c, enabled, into, _smmu) && into.Count < enabled.Count ? Kind.Closure : Kind.Full;
            }
        return Kind.ThreadStep;
    }

    /// <summary>The resource a message in flight acts on when delivered, or -1 for a thread.</summary>
    int Resource(in Message m) => m.Dst switch
    {
        Layout.MemoryActor => m.Kind is MessageKind.Barrier or MessageKind.DeviceMark ? _barrier : m.Loc,
        Layout.SmmuActor => _smmu,
        _ => -1,
    };

    /// <summary>How a delivery acts on the write order of loads=armv8 (<see cref="WriteHistory"/>).</summary>
    enum OrderAccess : byte { None, Shared, Exclusive }

    /// <summary>
    /// Under armv8 every write takes the next stamp. Exclusive: a write at a location memory keeps older writes of (a
    /// read choice that performs a compare-and-swap now among them), since which floors its stamp falls before or after
    /// decides what later loads may read there. Shared: a write elsewhere, and the SMMU's mark of a marked read's answer, which
    /// records the newest stamp: it goes alone right after the SMMU's step that sent it (<see cref="Fabric.Enabled"/>), so
    /// that step is the shared access (any delivery to the SMMU while it holds a marked wait, or a marked read). Two
    /// shared accesses commute: stamps are hashed as their rank among the kept writes' stamps (<see cref="WriteHistory.Hash"/>),
    /// and two stamps with no kept write between them rank alike. A barrier reads only its own thread's record (a full
    /// one its newest write and latest load, readl's dma_rmb its latest load) and needs none.
    /// </summary>
    OrderAccess Order(in Message m, bool smmuHoldsMarked)
    {
        if (!_armv8) return OrderAccess.None;
        // The SMMU's step that answers a marked read also tells memory the newest stamp then (a mark, delivered at once).
        if (m.Dst == Layout.SmmuActor) return m.Marked || smmuHoldsMarked ? OrderAccess.Shared : OrderAccess.None;
        if (m.Dst != Layout.MemoryActor) return OrderAccess.None;
        if (m.Kind == MessageKind.Barrier) return OrderAccess.None;
        if (m.Kind == MessageKind.DeviceMark) return OrderAccess.Shared;
        // Every access to memory but a load, a spin and a read choice that reads an older write may write.
        bool writes = m.Kind is not (MessageKind.Load or MessageKind.Wait)
            && (m.Kind != MessageKind.ReadChoice || m.A == WriteHistory.PerformNow);
        return !writes ? OrderAccess.None : _keepsOlder[m.Loc] ? OrderAccess.Exclusive : OrderAccess.Shared;
    }

    /// <summary>Whether message <paramref name="i"/> in flight (not to a thread) belongs to the set R stands for.</summary>
    bool InR(int i) => _inR[_res[i]] || _order[i] switch
    {
        OrderAccess.Shared => _inR[_orderAll],
        OrderAccess.Exclusive => _inR[_orderAll] || _inR[_orderExclusive],
        _ => false,
    };

    static bool IsRequest(MessageKind k) => k is MessageKind.Load or MessageKind.Cas or MessageKind.FetchOr or MessageKind.FetchAndNot
        or MessageKind.FetchAdd or MessageKind.Swap or MessageKind.Wait or MessageKind.Barrier or MessageKind.MmioRead;

    /// <summary>
    /// The enabled deliveries to a set of resources R closed under: every resource a live thread is blocked on (a thread
    /// may access any resource next); the SMMU once R holds a ring slot or a PTE (its fetches, walks and MSI writes go
    /// there), and the PTE of every valid PTE's store in flight once R holds the SMMU (it tells the walker,
    /// <see cref="MessageKind.PteWritten"/>; a thread outside R sends none, as every thread is blocked on R or only waits for a timeout); every location the SMMU has a read in flight at once R holds the SMMU or one of them (memory answers the
    /// SMMU on one ordered path); and the resources of every message that must be delivered before one to R. No
    /// delivery outside R can then reach R, unblock a thread or enable a message to R, so the set is persistent. The
    /// smallest such set over the resources with an enabled delivery; false when none is smaller than every delivery.
    /// </summary>
    bool Closure(Fabric f, IComponent[] c, List<int> enabled, List<int> into, int force = -1)
    {
        bool widening = force >= 0;
        _threadSteps = widening;
        int p = f.Pending;
        // Who must go before whom, as bit masks over the messages in flight: a handful of them.
        if (p > 64) return false;
        if (_res.Length < p) { _res = new int[p * 2]; _order = new OrderAccess[p * 2]; _enabled = new bool[p * 2]; _blockers = new ulong[p * 2]; }
        Array.Clear(_enabled, 0, p);
        foreach (int i in enabled) _enabled[i] = true;
        Array.Clear(_base);
        _smmuReads = 0;
        bool smmuHoldsMarked = c[Layout.SmmuActor] is SmmuComponent s && s.HoldsMarked;
        for (int i = 0; i < p; i++)
        {
            var m = f.Peek(i);
            _res[i] = Resource(m);
            _order[i] = Order(m, smmuHoldsMarked);
            _blockers[i] = 0;
            if (m is { Src: Layout.SmmuActor, Dst: Layout.MemoryActor, Kind: MessageKind.Load }) _smmuReads |= 1UL << i;
            if (!_enabled[i] && _res[i] >= 0)
                for (int j = 0; j < p; j++)
                    if (j != i && OrderingRules.MustPrecede(f.Peek(j), m)) _blockers[i] |= 1UL << j;
            // A thread's step not taken alone (a second message to it) or held back, or a due timeout (it lets its thread
            // run while the wait it ends may still be answered): no set smaller than every delivery. Widening, the enabled
            // steps that may go alone are in the set.
            if (_res[i] < 0 && (m.Class == DelayClass.Expired
                || m.Class != DelayClass.Timeout && !(widening && _enabled[i] && f.OnlyTimeoutsBesides(i)))) return false;
            if ((m.Src >= Layout.FirstThread && IsRequest(m.Kind)) || m.Kind == MessageKind.ReadChoice) _base[_res[i]] = true;
        }
        var memory = (IWaitHolder)c[Layout.MemoryActor];
        var smmu = (IWaitHolder)c[Layout.SmmuActor];
        for (int a = Layout.FirstThread; a < c.Length; a++)
        {
            int at = memory.ParkedAt((byte)a);
            if (at >= 0) _base[at] = true;
            if (smmu.ParkedAt((byte)a) >= 0) _base[_smmu] = true;
        }
        if (force >= 0) _base[force] = true;
        // Every set contains the closure of what the threads are blocked on: when that has an enabled delivery, it is the smallest.
        Array.Copy(_base, _inR, _base.Length);
        if (!Close(f, p)) return false;
        if (Count(enabled) > 0) { Collect(enabled, into); return true; }
        int best = int.MaxValue;
        for (int k = 0; k < enabled.Count; k++)
        {
            int seed = _res[enabled[k]];
            if (seed < 0 || _base[seed]) continue;
            Array.Copy(_base, _inR, _base.Length);
            _inR[seed] = true;
            if (!Close(f, p)) return false;
            int size = Count(enabled);
            if (size >= best) continue;
            best = size;
            Collect(enabled, into);
        }
        return best < int.MaxValue;
    }

    void Collect(List<int> enabled, List<int> into)
    {
        into.Clear();
        for (int j = 0; j < enabled.Count; j++)
            if (_res[enabled[j]] < 0 ? _threadSteps : InR(enabled[j])) into.Add(j);
    }

    int Count(List<int> enabled)
    {
        int size = 0;
        foreach (int i in enabled)
            if (_res[i] < 0 ? _threadSteps : InR(i)) size++;
        return size;
    }

    /// <summary>Closes <see cref="_inR"/> under the rules of <see cref="Closure"/>; false when a message to a thread must go first.</summary>
    bool Close(Fabric f, int p)
    {
        for (bool changed = true; changed;)
        {
            changed = false;
            // The SMMU reads slots and PTEs and writes MSIs to slots, and under armv8 each MSI write takes the next stamp.
            if (!_inR[_smmu] && _inR[_orderAll]) _inR[_smmu] = changed = true;
            if (!_inR[_smmu])
                for (int loc = _layout.SlotBase; loc < _layout.VarBase; loc++)
                    if (_inR[loc]) { _inR[_smmu] = changed = true; break; }
            // A valid PTE's store tells the SMMU's walker of it (PteWritten): one in flight outside R would reach the SMMU.
            if (_inR[_smmu])
                for (int i = 0; i < p; i++)
                    if (_res[i] >= _layout.PteBase && _res[i] < _layout.VarBase && (f.Peek(i).Kind != MessageKind.Store || Pte.IsValid(f.Peek(i).A)))
                        changed |= Mark(_res[i]);
            bool smmuReads = _inR[_smmu];
            for (ulong reads = _smmuReads; reads != 0 && !smmuReads; reads &= reads - 1)
                smmuReads = _inR[_res[BitOperations.TrailingZeroCount(reads)]];
            if (smmuReads)
                for (ulong reads = _smmuReads; reads != 0; reads &= reads - 1)
                    changed |= Mark(_res[BitOperations.TrailingZeroCount(reads)]);
            for (int i = 0; i < p; i++)
            {
                if (_res[i] < 0 || !InR(i)) continue;
                // An enabled delivery in the set acts on nothing outside R: one that did would not commute with the
                // deliveries left out that act there.
                if (_enabled[i] && _order[i] != OrderAccess.None)
                    changed |= Mark(_res[i]) | Mark(_order[i] == OrderAccess.Exclusive ? _orderAll : _orderExclusive);
                for (ulong b = _blockers[i]; b != 0; b &= b - 1)
                {
                    int r = _res[BitOperations.TrailingZeroCount(b)];
                    if (r < 0) return false;
                    changed |= Mark(r);
                }
            }
        }
        return true;
    }

    bool Mark(int resource)
    {
        if (_inR[resource]) return false;
        _inR[resource] = true;
        return true;
    }
}
