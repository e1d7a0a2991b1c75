using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
namespace SmmuActors.Model.Sim;

/// <summary>
/// Which write a load may read: the other half of the Armv8 memory model next to <see cref="OrderingRules"/>
/// (docs/model.md, "Memory model"). Armv8 is other-multi-copy-atomic: a write becomes visible to every other
/// observer at one point, its stamp here, and stamps order each location's writes (coherence order). A load is
/// performed at some point no earlier than its floor — the latest stamp of any access it must follow (barriers,
/// acquires, dependencies) — so it may read any write that was the location's newest at some point from its floor
/// on, and no write older than what its source already read or wrote there. A load that reads its source's latest
/// store to the location is satisfied by forwarding: it counts as performed at its floor or at the view of the
/// store's address and data, whichever is later (Arm's <c>(addr|data); rfi</c> is in ob, <c>rfi</c> alone is not).
/// </summary>
public sealed class WriteHistory
{
    /// <summary>One write: its stamp, its value, who wrote it, the writer's store count, and its address/data view.</summary>
    public readonly record struct Write(long Stamp, long Value, byte Src, int Own, long View);

    /// <summary>A write a load may read, and the stamp the load counts as performed at if it does.</summary>
    public readonly record struct Readable(long Value, long Stamp, long Performed);

    /// <summary>
    /// A load whose read choice is in flight: the oldest write it may read (kept until it has chosen), its floor, and
    /// its store count if it may take its own store by forwarding (0 if not): what its choice's performed stamp needs.
    /// <see cref="Unrecorded"/>: it leaves no coherence record (<see cref="Read"/>).
    /// </summary>
    readonly record struct Choice(byte Src, int Loc, long Stamp, long Floor, int Own, bool Unrecorded);

    // Each location's writes, oldest first: an array replaced on every change, never written in place, so a clone
    // copies only the outer array (memory is cloned on every delivery it takes; it is written far less often).
    [HashedByRank]
    Write[][] _writes;
    [HashedByRank]
    long _stamp;
    [HashedByRank]
    long[][] _coherence; // per source, per location: the newest stamp it has read or written there (rows replaced, never written in place)
    [HashedByRank]
    long[] _lastWrite;   // per source: its newest write's stamp (a full barrier is performed after it)
    [HashedByRank]
    long[] _lastRelease; // per source: its newest store-release's stamp (a later LDAR is performed after it)
    [HashedByRank]
    long[] _floor;       // per source: what its barriers order every later load after
    [HashedByRank]
    long[] _loadsDone;   // per source: the latest stamp a load of it counts as performed at
    ulong _retired;      // per source (bit; workloads have at most 60 threads): its program ended, its record is dead (Retire)
    // The four below are replaced on every change, never written in place, so a clone shares them.
    Choice[] _pending = [];                           // loads whose read choice is still in flight
    Message[] _performing = [];                       // compare-and-swaps and spins whose read choice is still in flight
    ulong[] _armed;                                   // per location with armed spins, a bit per source: armed for its next spin there (Arm)
    // Per location with armed spins, a bit per source: its spin there began after its latest arming. Only a timed run
    // answers a spin its CPU gave up (the search withdraws a timed-out spin), and only such an answer finds it clear.
    [NotState("changes only what an answer to an abandoned spin does, and only timed runs have those")]
    ulong[] _spinning;

    [NotState("configuration, fixed at construction")]
    readonly bool[]? _plainLoaded;
    [NotState("configuration, fixed at construction")]
    readonly bool[]? _spunOn;
    [NotState("configuration, fixed at construction")]
    readonly bool[]? _armedSpins;
    [NotState("configuration, fixed at construction")]
    readonly int _firstThread;
    [NotState("configuration, fixed at construction")]
    readonly bool _byRank;

    /// <param name="plainLoaded">Per location, whether any plain load reads it (null: every location); the others keep only their newest write.</param>
    /// <param name="spunOn">Per location, whether a CPU may spin on it (null: every location): a spin's end takes the newest write's stamp.</param>
    /// <param name="firstThread">The first source whose loads and spins this history decides; those before it (the SMMU) read the newest write.</param>
    /// <param name="armedSpins">
    /// Per location, whether a CPU spins on it only when armed (null: none): between an event its owner reports
    /// (<see cref="Arm"/>, e.g. the CPU's own store there) and the end of its next spin there. Unarmed, its next spin
    /// there comes after a write of its own that orders it after every write there now, so none of them is state for it.
    /// </param>
    /// <param name="byRank">
    /// Hash stamps by rank (<see cref="Hash"/>): only where no other component holds a stamp, since one hashed by value
    /// beside ranks could merge states whose stamps relate differently (litmus threads keep stamps in their registers' views).
    /// </param>
    public WriteHistory(IReadOnlyList<long> initial, int actors, bool[]? plainLoaded = null, bool[]? spunOn = null, int firstThread = 0,
        bool byRank = true, bool[]? armedSpins = null)
    {
        _armedSpins = armedSpins;
        _armed = new ulong[initial.Count];
        _spinning = new ulong[initial.Count];
        _byRank = byRank;
        _plainLoaded = plainLoaded;
        _spunOn = spunOn;
        _firstThread = firstThread;
        _writes = new Write[initial.Count][];
        for (int l = 0; l < initial.Count; l++) _writes[l] = [new Write(0, initial[l], byte.MaxValue, 0, 0)];
        _coherence = new long[actors][];
        for (int a = 0; a < actors; a++) _coherence[a] = new long[initial.Count];
        _lastWrite = new long[actors];
        _lastRelease = new long[actors];
        _floor = new long[actors];
        _loadsDone = new long[actors];
    }

    public long Current(int loc) => _writes[loc][^1].Value;

    /// <summary>A write's name that outlives its stamp's absence: its writer and the writer's store count (an initial value: no writer, 0).</summary>
    public static long Identity(byte src, int own) => (long)src << 32 | (uint)own;

    /// <summary>The name (<see cref="Identity"/>) of the write stamped <paramref name="stamp"/> at <paramref name="loc"/>.</summary>
    public long IdentityOf(int loc, long stamp)
    {
        var w = _writes[loc][IndexOf(loc, stamp)];
        return Identity(w.Src, w.Own);
    }

    /// <summary>Whether the newest write to <paramref name="loc"/> is the one named <paramref name="identity"/>.</summary>
    public bool NewestIs(int loc, long identity) => Identity(_writes[loc][^1].Src, _writes[loc][^1].Own) == identity;

    public Write Newest(int loc) => _writes[loc][^1];

    /// <summary>
    /// What the read choice <paramref name="offset"/> of <paramref name="src"/>'s load of <paramref name="loc"/> reads: the
    /// write that many after the oldest it may read (<see cref="Offer"/>), and the stamp the load counts as performed at.
    /// </summary>
    public Readable Chosen(byte src, int loc, long offset)
    {
        int p = _pending.Length - 1;
        while (p >= 0 && (_pending[p].Src != src || _pending[p].Loc != loc)) p--;
        if (p < 0) throw new InvalidOperationException($"a read choice of {src} at {loc} with no load choosing");
        var c = _pending[p];
        var w = _writes[loc][IndexOf(loc, c.Stamp) + (int)offset];
        return new Readable(w.Value, w.Stamp, Performed(w, c.Src, c.Floor, c.Own));
    }

    int IndexOf(int loc, long stamp)
    {
        var ws = _writes[loc];
        for (int i = 0; i < ws.Length; i++)
            if (ws[i].Stamp == stamp) return i;
        throw new InvalidOperationException($"write {stamp} at {loc} was forgotten while a load could still read it");
    }

    /// <summary>When a load with <paramref name="floor"/> counts as performed if it reads <paramref name="w"/>: at the write's visibility, or by forwarding its own store.</summary>
    static long Performed(in Write w, byte src, long floor, int own) =>
        own != 0 && w.Src == src && w.Own == own ? Math.Max(floor, w.View) : Math.Max(floor, w.Stamp);

    /// <summary>
    /// In a compare-and-swap's or a spin's read choice: perform it on the newest write when the choice is delivered (the
    /// CAS swaps if that write holds the expected value; the spin ends on it if its condition holds, or spins on).
    /// </summary>
    public const long PerformNow = -1;

    /// <summary>
    /// Puts <paramref name="m"/>'s possible reads in flight from <paramref name="memory"/> to itself, one <c>ReadChoice</c> per
    /// write in <paramref name="readable"/>, as alternatives: which one is delivered is a choice like any delivery order.
    /// A compare-and-swap's or a spin's group also holds <see cref="PerformNow"/>; the others are the older writes the CAS
    /// may fail on, or the spin may end on.
    /// A choice names its write by how many writes after the oldest readable one it is, never by stamp: messages are
    /// hashed by value, and a stamp there beside the ranks here could merge states that go on differently. The writes
    /// from the oldest on stay while the load chooses (<see cref="Prune"/>), so the offset keeps naming the same write.
    /// </summary>
    public void Offer(in Message m, List<Readable> readable, byte memory, Outbox o, bool unrecorded = false)
    {
        bool now = m.Kind is MessageKind.Cas or MessageKind.Wait;
        int oldest = IndexOf(m.Loc, readable[0].Stamp);
        _pending = [.. _pending, new Choice(m.Src, m.Loc, readable[0].Stamp, Floor(m), Forwards(m) ? m.Own : 0, unrecorded)];
        if (now) _performing = [.. _performing, m];
        foreach (var r in readable)
            o.Send(memory, MessageKind.ReadChoice, DelayClass.Reply, Ordering.Alternative, m.Loc, IndexOf(m.Loc, r.Stamp) - oldest, m.Src, m.C);
        if (now) o.Send(memory, MessageKind.ReadChoice, DelayClass.Reply, Ordering.Alternative, m.Loc, PerformNow, m.Src, m.C);
    }

    static bool Forwards(in Message load) => (load.Order & Ordering.Forwards) != 0 && load.Own != 0;

    /// <summary>
    /// The writes older than the newest that compare-and-swap <paramref name="cas"/> may read, and so fail on. A CAS that
    /// fails writes nothing (Arm: it is a read), so it may read what a plain load may read, except a write holding the
    /// expected value: it would have to replace that write atomically, which only the newest allows.
    /// </summary>
    public void StaleCasReads(in Message cas, List<Readable> into)
    {
        ReadableBy(cas, into);
        into.RemoveAt(into.Count - 1);
        // A loop, not RemoveAll with a lambda: this runs on every CPU's CAS, and the lambda would capture.
        for (int i = into.Count - 1; i >= 0; i--)
            if (WordUpdate.CasMatches(cas, into[i].Value)) into.RemoveAt(i);
    }

    /// <summary>
    /// If a read choice of <paramref name="src"/> at <paramref name="loc"/> belongs to a compare-and-swap or a spin, that
    /// request, no longer choosing.
    /// </summary>
    public bool TakePerforming(byte src, int loc, out Message request)
    {
        // Every read choice asks, a load's too: a plain search, no capturing lambda.
        int i = _performing.Length - 1;
        while (i >= 0 && (_performing[i].Src != src || _performing[i].Loc != loc)) i--;
        if (i < 0) { request = default; return false; }
        request = _performing[i];
        _performing = [.. _performing[..i], .. _performing[(i + 1)..]];
        _pending = Array.FindAll(_pending, p => p.Src != src || p.Loc != loc);
        return true;
    }

    /// <summary>
    /// <paramref name="src"/>'s load of <paramref name="loc"/> reads <paramref name="r"/>. <paramref name="unrecorded"/>
    /// (or offered so): a read of some bytes of the word whose other bytes the thread reads next, two accesses of different
    /// locations to Arm, so the second may read an older write than this one did (no <c>po-loc</c> between them); it
    /// leaves no coherence record, and the second read and later accesses make their own.
    /// </summary>
    public void Read(byte src, int loc, in Readable r, bool unrecorded = false)
    {
        int p = _pending.Length - 1;
        while (p >= 0 && (_pending[p].Src != src || _pending[p].Loc != loc)) p--;
        if (p >= 0)
        {
            unrecorded |= _pending[p].Unrecorded;
            _pending = Array.FindAll(_pending, c => c.Src != src || c.Loc != loc);
        }
        if (!unrecorded) Saw(src, loc, r.Stamp);
        if (r.Performed > _loadsDone[src]) Own(Part.LoadsDone)._loadsDone[src] = r.Performed;
    }

    /// <summary>
    /// <paramref name="src"/>'s spin on <paramref name="loc"/> ended on the newest write: its last read counts as
    /// performed when that write became visible, for coherence and for the barriers after it. <paramref name="again"/>:
    /// the same loop spins on the same word again next, with no store of its own between.
    /// </summary>
    public void Spun(byte src, int loc, bool again = false)
    {
        // Not through Read: a spin's answer may come while the same thread's load of the location is still
        // choosing (a timed-out spin answered late, in timed runs), and that choice must keep its writes.
        ReadNewest(src, loc);
        // Its next spin here is armed anew first, unless this loop spins here again at once. An answer to a spin the CPU
        // gave up before it was armed again (its CMD_SYNC's or the drain's timeout, in a timed run) leaves that arming.
        if (_armedSpins?[loc] != true) return;
        if (!again && Spinning(src, loc)) SetArmed(src, loc, false);
        SetSpinning(src, loc, false);
    }

    /// <summary>
    /// <paramref name="src"/> is armed for its next spin on <paramref name="loc"/>, a location with armed spins: what
    /// that spin may end on is state from now on (<see cref="Hash"/>) until the spin ends (<see cref="Spun"/>).
    /// </summary>
    public void Arm(byte src, int loc)
    {
        if (_armedSpins?[loc] != true || src < _firstThread || Retired(src)) return;
        SetArmed(src, loc, true);
        SetSpinning(src, loc, false);
    }

    /// <summary>
    /// A spin of <paramref name="src"/> on <paramref name="loc"/> starts. At a location with armed spins the hash has kept
    /// what the spin may end on only if the CPU is armed: a spin unarmed would have let it merge states that differ, so it
    /// throws, never answers.
    /// </summary>
    public void SpinStarts(byte src, int loc)
    {
        if (_armedSpins?[loc] != true || src < _firstThread || Retired(src)) return;
        if (!Armed(src, loc))
            throw new InvalidOperationException($"actor {src} spins on location {loc} unarmed: no arming event since its last spin there");
        SetSpinning(src, loc, true);
    }

    bool Armed(int src, int loc) => (_armed[loc] >> src & 1) != 0;

    bool Spinning(int src, int loc) => (_spinning[loc] >> src & 1) != 0;

    void SetArmed(byte src, int loc, bool armed)
    {
        if (Armed(src, loc) == armed) return;
        _armed = ArrayCopy.Of(_armed);
        _armed[loc] ^= 1UL << src;
    }

    void SetSpinning(byte src, int loc, bool spinning)
    {
        if (Spinning(src, loc) == spinning) return;
        _spinning = ArrayCopy.Of(_spinning);
        _spinning[loc] ^= 1UL << src;
    }

    /// <summary>
    /// A full barrier of <paramref name="src"/> (DMB SY/ISH/OSH): later loads go after its earlier loads and stores.
    /// Returns the floor it leaves, the stamp everything before the barrier was performed by.
    /// </summary>
    public long Fence(byte src)
    {
        Raise(src, Ordered(src));
        return _floor[src];
    }

    /// <summary>The stamp of <paramref name="src"/>'s newest write: what a DSB ST puts its later loads after.</summary>
    public long LastWrite(byte src) => _lastWrite[src];

    /// <summary>What a full barrier of <paramref name="src"/> would raise its floor to: its floor, newest write and latest load, whichever is latest.</summary>
    long Ordered(int src) => Math.Max(_floor[src], Math.Max(_lastWrite[src], _loadsDone[src]));

    /// <summary>
    /// The SMMU answered <paramref name="src"/>'s marked device read now (<see cref="MessageKind.DeviceMark"/>): that read
    /// was performed with the writes up to the newest stamp visible, and the fence after it (readl's dma_rmb, or a full
    /// barrier) orders the reader's later loads after it and after every earlier load, so the floor rises to both now.
    /// Now is early enough for every earlier load: a driver thread waits for each of its loads, so none is still
    /// choosing; and soon enough for every later one, which the thread sends only once the answer reached it.
    /// <paramref name="late"/>: in a timed run, where a spin that timed out stays parked and its read choices stay in
    /// flight, a load of the reader may still be choosing for a spin it gave up, and the answer itself may be to such a
    /// spin. The floor rises all the same: for a live read that is exact (the given-up spin's answer is stale), and for a
    /// given-up one it only keeps the run from some executions Arm allows (random runs need not reach every one), never
    /// lets it reach one Arm forbids. The search withdraws such a spin, so there a load still choosing is a model error.
    /// </summary>
    public void DeviceAnswered(byte src, bool late = false)
    {
        if (Retired(src)) return;
        if (!late)
        {
            foreach (var p in _pending)
                if (p.Src == src) throw new InvalidOperationException($"the SMMU answered a marked read of {src} while a load of it was still choosing");
            foreach (var c in _performing)
                if (c.Src == src) throw new InvalidOperationException($"the SMMU answered a marked read of {src} while an access of it was still choosing");
        }
        Raise(src, Math.Max(_stamp, _loadsDone[src]));
    }

    /// <summary>
    /// readl's dma_rmb when it reaches memory: its order was taken when the SMMU answered the read before it
    /// (<see cref="DeviceAnswered"/>); it still puts later loads after every earlier load.
    /// </summary>
    public void ReadFence(byte src) => Raise(src, _loadsDone[src]);

    void Raise(byte src, long floor)
    {
        if (floor > _floor[src]) Own(Part.Floor)._floor[src] = floor;
    }

    /// <summary>Makes a write of <paramref name="value"/> by <paramref name="m"/>'s source visible to all.</summary>
    public void Append(in Message m, long value)
    {
        long stamp = ++_stamp;
        Own(Part.Writes)._writes[m.Loc] = [.. _writes[m.Loc], new Write(stamp, value, m.Src, m.Own, m.View)];
        if (Retired(m.Src)) return;
        Own(Part.LastWrite)._lastWrite[m.Src] = stamp;
        if ((m.Order & Ordering.Release) != 0) Own(Part.LastRelease)._lastRelease[m.Src] = stamp;
        Saw(m.Src, m.Loc, stamp);
    }

    /// <summary>
    /// <paramref name="src"/>'s program ended: it will load, spin and fence no more, so its record is reset and ignored
    /// from now on (a store of it still in flight is written, and leaves no record), and writes kept only for it are
    /// forgotten. States that differ only in a finished thread's past merge.
    /// </summary>
    public void Retire(byte src)
    {
        Own(Part.All);
        _retired |= 1UL << src;
        _floor[src] = _lastWrite[src] = _lastRelease[src] = _loadsDone[src] = 0;
        _coherence[src] = new long[_writes.Length];
        if (_armedSpins is not null)
            for (int l = 0; l < _armed.Length; l++)
            {
                SetArmed(src, l, false);
                SetSpinning(src, l, false);
            }
        Prune(_firstThread);
    }

    bool Retired(int src) => (_retired >> src & 1) != 0;

    /// <summary>
    /// A read-modify-write read the newest write and leaves <paramref name="written"/>: a write right after the one
    /// it read (Arm's atomicity), except a compare-and-swap that failed, which is a read and writes nothing.
    /// </summary>
    public void ReadModifyWrite(in Message m, long old, long written)
    {
        if (m.Kind == MessageKind.Cas && !WordUpdate.CasMatches(m, old)) ReadNewest(m.Src, m.Loc);
        else Append(m, written);
    }

    /// <summary>
    /// <paramref name="src"/> read <paramref name="loc"/>'s newest write (a spin's end, a CAS that failed on it): a load
    /// performed when that write became visible, for coherence and for the full barriers after it (<c>[R]; po; [dmb.full]</c>).
    /// </summary>
    void ReadNewest(byte src, int loc)
    {
        long stamp = _writes[loc][^1].Stamp;
        Saw(src, loc, stamp);
        if (stamp > _loadsDone[src]) Own(Part.LoadsDone)._loadsDone[src] = stamp;
    }

    /// <summary>Records that <paramref name="src"/> read or wrote the write stamped <paramref name="stamp"/> at <paramref name="loc"/>.</summary>
    public void Saw(byte src, int loc, long stamp)
    {
        if (stamp <= _coherence[src][loc] || Retired(src)) return;
        // A new row, as the writes' are: a clone shares the rows, and copying one source's costs a fraction of every source's.
        var row = ArrayCopy.Of(_coherence[src]);
        row[loc] = stamp;
        Own(Part.Coherence)._coherence[src] = row;
    }

    /// <summary>The load's floor: the stamp everything it must follow was performed by.</summary>
    public long Floor(in Message load) =>
        Math.Max(Math.Max(load.View, _floor[load.Src]), (load.Order & Ordering.AfterReleases) != 0 ? _lastRelease[load.Src] : 0);

    /// <summary>
    /// True when <paramref name="load"/> carries its source's latest store to the location and that store is not
    /// visible yet: the load reads it by forwarding, the only write coherence leaves it.
    /// </summary>
    public bool Forwarded(in Message load)
    {
        if (!Forwards(load)) return false;
        var ws = _writes[load.Loc];
        for (int i = ws.Length - 1; i >= 0; i--)
            if (ws[i].Src == load.Src && ws[i].Own == load.Own) return false;
        return true;
    }

    /// <summary>Every write <paramref name="load"/> (not forwarded) may read, oldest first.</summary>
    public void ReadableBy(in Message load, List<Readable> into)
    {
        into.Clear();
        var ws = _writes[load.Loc];
        long floor = Floor(load);
        int from = First(ws, floor, _coherence[load.Src][load.Loc]);
        int own = Forwards(load) ? load.Own : 0;
        for (int i = from; i < ws.Length; i++)
            into.Add(new Readable(ws[i].Value, ws[i].Stamp, Performed(ws[i], load.Src, floor, own)));
    }

    /// <summary>The index of the oldest readable write: the newest at the floor, or the newest the source saw, whichever is later.</summary>
    static int First(Write[] ws, long floor, long seen)
    {
        int atFloor = 0, atSeen = 0;
        for (int i = 0; i < ws.Length; i++)
        {
            if (ws[i].Stamp <= floor) atFloor = i;
            if (ws[i].Stamp <= seen) atSeen = i;
        }
        return Math.Max(atFloor, atSeen);
    }

    /// <summary>
    /// Forgets the writes no load can read any more: for each location, those older than what every thread in
    /// [<paramref name="firstThread"/>, end) may still read (its floors only rise and its coherence record only
    /// grows). What is left decides every future read, so states that differ only in forgotten writes merge.
    /// After a floor rose (a barrier), every location can shed writes; after anything else, only the one accessed.
    /// </summary>
    public void Prune(int firstThread)
    {
        for (int l = 0; l < _writes.Length; l++) Prune(firstThread, l);
    }

    public void Prune(int firstThread, int loc)
    {
        var ws = _writes[loc];
        int keep = ws.Length - 1;
        for (int t = firstThread; _plainLoaded?[loc] != false && t < _floor.Length && keep > 0; t++)
            if (!Retired(t)) keep = Math.Min(keep, First(ws, _floor[t], _coherence[t][loc]));
        foreach (var p in _pending)
            if (p.Loc == loc && keep > 0) keep = Math.Min(keep, First(ws, p.Stamp, p.Stamp));
        if (keep > 0) Own(Part.Writes)._writes[loc] = ws[keep..];
    }

    /// <summary>
    /// Stamps only ever meet in comparisons and maxima with the stamps of writes a plain load may still read, so
    /// each is hashed as its rank among those (how many are at or before it), and a location no plain load reads
    /// as its newest value. Each source's stamps are hashed only in the maxima the future can use: its newest write
    /// and latest load meet only in a full barrier (<see cref="Ordered"/>), its coherence record and newest release
    /// only in a load's floor, always beside its barrier floor. Where a CPU may spin on a word, the word's newest
    /// write counts as that CPU's latest load if the spin ends on it (<see cref="Spun"/>), and after a barrier that
    /// decides which writes of a plain-loaded location it may still read: hashed per CPU as that maximum. Sources
    /// before the first thread read the newest write and never fence: nothing of theirs but their writes is state.
    /// States that differ only in stamps no future load or barrier can tell apart hash alike.
    /// </summary>
    public void Hash(ref StateHasher into)
    {
        // A local copy the JIT keeps in registers: through the reference, every word hashed stored the hasher and loaded it
        // back for the next.
        var h = into;
        int n = 0;
        for (int l = 0; l < _writes.Length; l++)
            if (_plainLoaded?[l] != false) n += _writes[l].Length;
        // A scratch buffer per thread: the search hashes every state it reaches, and a list per hash was most of its garbage.
        var buffer = _stampBuffer is { } b && b.Length >= n ? b : _stampBuffer = new long[Math.Max(n, 32)];
        n = 0;
        for (int l = 0; l < _writes.Length; l++)
            if (_plainLoaded?[l] != false) foreach (var w in _writes[l]) buffer[n++] = w.Stamp;
        var stamps = buffer.AsSpan(0, n);
        stamps.Sort();
        var rank = new Ranks(stamps, _stamp, _byRank);
        h.Add(rank.Of(_stamp));
        // First: which threads are retired decides how many words each write below takes.
        h.Add((long)_retired);
        for (int l = 0; l < _writes.Length; l++)
        {
            var ws = _writes[l];
            if (_plainLoaded?[l] == false)
            {
                h.Add(ws[^1].Value);
                if (_spunOn?[l] != false)
                    for (int t = _firstThread; t < _floor.Length; t++)
                        if (!Retired(t) && (_armedSpins?[l] != true || Armed(t, l)))
                            h.Add(rank.Of(Math.Max(ws[^1].Stamp, Ordered(t))));
                continue;
            }
            h.Add(ws.Length);
            foreach (var w in ws)
            {
                h.Add(rank.Of(w.Stamp)); h.Add(w.Value);
                // Who wrote it, and its store count and view, matter only to its writer's own loads (forwarding).
                if (!Retired(w.Src)) { h.Add(w.Src); h.Add(w.Own); h.Add(rank.Of(w.View)); }
            }
            for (int t = _firstThread; t < _floor.Length; t++)
                if (!Retired(t)) h.Add(rank.Of(Math.Max(_coherence[t][l], _floor[t])));
        }
        for (int l = 0; l < _armed.Length; l++)
            if (_armed[l] != 0) { h.Add(l); h.Add((long)_armed[l]); }
        // The end of the pairs (a location is never negative): without it the pairs and the words after them could line
        // up alike for two states with different pairs.
        h.Add(-1);
        for (int t = _firstThread; t < _floor.Length; t++)
        {
            if (Retired(t)) continue;
            h.Add(rank.Of(_floor[t])); h.Add(rank.Of(Ordered(t))); h.Add(rank.Of(Math.Max(_lastRelease[t], _floor[t])));
        }
        h.Add(_pending.Length);
        foreach (var p in _pending)
        {
            h.Add(p.Src); h.Add(p.Loc); h.Add(rank.Of(p.Stamp)); h.Add(rank.Of(p.Floor)); h.Add(p.Own);
            h.Add(p.Unrecorded ? 1 : 0);
        }
        h.Add(_performing.Length);
        foreach (var c in _performing) { h.Add(c.Src); h.Add(c.Loc); h.Add(c.A); h.Add(c.B); h.Add(c.C); h.Add((long)c.Order); h.Add(rank.Of(c.View)); }
        into = h;
    }

    [ThreadStatic]
    static long[]? _stampBuffer;

    [ThreadStatic]
    static int[]? _rankBuffer;

    /// <summary>
    /// How a stamp is hashed: by its rank among the sorted stamps, or by value where other components hold stamps. A hash
    /// asks for dozens of ranks, every one of a stamp at most the newest, and stamps are small counters, so where the
    /// stamps from the oldest kept one to the newest are few, a table of each one's rank is filled once and read, and
    /// a binary search (<see cref="RankOf"/>) answers the rest (reviewer-race under gate-outside-cas and armv8 on one
    /// worker: a median 5.86 CPU s against 6.46 over five interleaved pairs, the hash from 14.6 % of the samples to 11.7 %).
    /// </summary>
    readonly ref struct Ranks
    {
        /// <summary>The table's bound: on a long path the newest stamp runs far past the oldest kept one (a word never written keeps stamp 0).</summary>
        const int MaxTable = 256;

        readonly ReadOnlySpan<long> _sorted;
        readonly ReadOnlySpan<int> _table;
        readonly long _oldest;
        readonly bool _byRank;

        public Ranks(ReadOnlySpan<long> sorted, long newest, bool byRank)
        {
            _sorted = sorted;
            _byRank = byRank;
            if (!byRank || sorted.Length == 0 || newest - sorted[0] >= MaxTable) return;
            _oldest = sorted[0];
            int size = (int)(newest - _oldest) + 1;
            var table = _rankBuffer ??= new int[MaxTable];
            int at = 0;
            for (int i = 0; i < size; i++)
            {
                while (at < sorted.Length && sorted[at] <= _oldest + i) at++;
                table[i] = at;
            }
            _table = table.AsSpan(0, size);
        }

        public long Of(long stamp)
        {
            if (!_byRank) return stamp;
            long i = stamp - _oldest;
            if ((ulong)i >= (ulong)_table.Length) return RankOf(_sorted, stamp);
            return _table[(int)i];
        }
    }

    /// <summary>
    /// How many of <paramref name="sorted"/> are at or before <paramref name="stamp"/>: a binary search without branches on
    /// the comparisons (each halving moves by a conditional move), whose outcomes the processor could not predict (the
    /// branching search's loop had a sixth of the hash's samples under armv8).
    /// </summary>
    static int RankOf(ReadOnlySpan<long> sorted, long stamp)
    {
        int n = sorted.Length;
        if (n == 0) return 0;
        ref long first = ref MemoryMarshal.GetReference(sorted);
        // The last index at or before the stamp is in [at, at + n).
        int at = 0;
        while (n > 1)
        {
            int half = n >> 1;
            at = Unsafe.Add(ref first, at + half) <= stamp ? at + half : at;
            n -= half;
        }
        return Unsafe.Add(ref first, at) <= stamp ? at + 1 : 0;
    }

    /// <summary>The arrays written in place, one bit each in <see cref="_shared"/>.</summary>
    [Flags]
    enum Part : byte { Writes = 1, Coherence = 2, LastWrite = 4, LastRelease = 8, Floor = 16, LoadsDone = 32, All = 63 }

    [NotState("bookkeeping of the copy on write: which arrays are shared with a clone")]
    Part _shared;

    /// <summary>
    /// A copy sharing the arrays until either side writes one: memory is cloned for every delivery it takes, and many
    /// (the SMMU's reads, a spin that parks, a load with several writes to choose from) leave the history as it is.
    /// </summary>
    public WriteHistory Clone()
    {
        _shared = Part.All;
        return new WriteHistory(this);
    }

    /// <summary>A copy of <paramref name="o"/> sharing every array (see <see cref="Clone"/>; why not MemberwiseClone: <see cref="ArrayCopy"/>).</summary>
    WriteHistory(WriteHistory o)
    {
        _writes = o._writes; _stamp = o._stamp; _coherence = o._coherence; _lastWrite = o._lastWrite; _lastRelease = o._lastRelease;
        _floor = o._floor; _loadsDone = o._loadsDone; _retired = o._retired; _pending = o._pending; _performing = o._performing;
        _armed = o._armed; _spinning = o._spinning; _plainLoaded = o._plainLoaded; _spunOn = o._spunOn; _armedSpins = o._armedSpins; _firstThread = o._firstThread;
        _byRank = o._byRank; _shared = o._shared;
    }

    /// <summary>
    /// This history, with its own copy of the arrays in <paramref name="parts"/>: called before any of them is written in
    /// place. Only those are copied: a load writes its source's coherence record and perhaps its latest load, a store the
    /// location's writes and its source's records, and the others stay shared (reviewer-race as posted under armv8, bench's
    /// bytes/state: 3,258 when every write copied all six, 3,045 so).
    /// </summary>
    WriteHistory Own(Part parts)
    {
        var copy = _shared & parts;
        if (copy == 0) return this;
        _shared &= ~copy;
        if ((copy & Part.Writes) != 0) _writes = ArrayCopy.Of(_writes);
        if ((copy & Part.Coherence) != 0) _coherence = ArrayCopy.Of(_coherence);
        if ((copy & Part.LastWrite) != 0) _lastWrite = ArrayCopy.Of(_lastWrite);
        if ((copy & Part.LastRelease) != 0) _lastRelease = ArrayCopy.Of(_lastRelease);
        if ((copy & Part.Floor) != 0) _floor = ArrayCopy.Of(_floor);
        if ((copy & Part.LoadsDone) != 0) _loadsDone = ArrayCopy.Of(_loadsDone);
        return this;
    }
}
