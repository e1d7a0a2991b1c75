using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// Normal memory shared by the CPUs and the SMMU. Every write and read-modify-write is performed atomically
/// when its message is delivered, visible to all at once (Armv8 is other-multi-copy-atomic); ordering between
/// accesses comes from message delay and the interconnect's rules (coherence per source and location,
/// barriers), per protocol.md §0.13, §4.2. A CPU's plain load may read any write that was newest at some point
/// after what it must follow (<see cref="WriteHistory"/>): when there is more than one, each is a read choice
/// the search explores. The SMMU's reads and the CPUs' spins and read-modify-writes read the newest write.
/// </summary>
public sealed class MemoryComponent : IComponent, IWaitHolder, IRecordHolder
{
    [NotState("configuration, fixed at construction")]
    readonly Layout _layout;
    long[] _words;
    [NotState("bookkeeping of the copy on write: whether the words are shared with a clone")]
    bool _wordsShared;
    ParkedWaits _waits;
    WriteHistory? _history; // null under loads=in-order: every load reads the newest write
    [NotState("configuration, fixed at construction")]
    readonly bool[] _keepsOlder;
    [NotState("configuration, fixed at construction")]
    readonly bool _splitRmw;
    [NotState("configuration, fixed at construction")]
    readonly bool _untimed;

    /// <param name="armv8Loads">Plain loads may read older writes as Armv8 allows; otherwise every load reads the newest.</param>
    /// <param name="ownerProdHistory">Under armv8Loads, owner_prod keeps its older writes too, so a spin on it may end on one.</param>
    /// <param name="splitRmw">Under armv8Loads, a CPU's returning RMW writes after its read, as a message of its own (rmw-write=split).</param>
    /// <param name="untimed">In the exhaustive search, where a spin that times out is withdrawn, so no mark comes late (<see cref="WriteHistory.DeviceAnswered"/>).</param>
    public MemoryComponent(Layout layout, long[] initial, bool armv8Loads, bool ownerProdHistory = false, bool splitRmw = false, bool untimed = false)
    {
        _layout = layout;
        _untimed = untimed;
        _splitRmw = armv8Loads && splitRmw;
        _words = (long[])initial.Clone();
        _waits = new();
        _keepsOlder = Enumerable.Range(0, initial.Length).Select(loc => layout.KeepsOlderWrites(loc, ownerProdHistory)).ToArray();
        // A spin that reads only the newest write and comes only after the CPU's own store there, or only after its
        // reservation or STOP set on llq, is armed by that write (Write): until then no write there now is one it can end on.
        // Split, that write may land after the wait (owner_prod's) it was to order, so such a wait is not armed but hashed.
        if (armv8Loads)
            _history = new WriteHistory(initial, layout.Actors, _keepsOlder,
                Enumerable.Range(0, initial.Length).Select(layout.SpinTarget).ToArray(), Layout.FirstThread,
                armedSpins: Enumerable.Range(0, initial.Length)
                    .Select(loc => !_keepsOlder[loc] && (layout.SpunOnlyAfterOwnStore(loc) || !_splitRmw && layout.SpunOnlyAfterLlqCommit(loc))).ToArray());
    }

    public long Read(int loc) => _words[loc];

    public void Handle(in Message m, Outbox o)
    {
        switch (m.Kind)
        {
            case MessageKind.Load when m.Src < Layout.FirstThread || _history is null:
                // The SMMU reads memory when it gets to it: command fetch after the PROD doorbell, the table walk.
                o.Send(m.Src, MessageKind.LoadReply, DelayClass.Reply, Ordering.None, m.Loc, _words[m.Loc], 0, m.C);
                return;
            case MessageKind.Load:
            {
                var readable = o.Readable;
                _history.ReadableBy(m, readable);
                bool unrecorded = m.A == OtherHalfNext;
                if (readable.Count == 1) Read(o, m.Src, m.Loc, readable[0], m.C, MessageKind.LoadReply, unrecorded);
                else _history.Offer(m, readable, Layout.MemoryActor, o, unrecorded);
                return;
            }
            case MessageKind.ReadChoice:
                // Resolved before TakePerforming, which ends the choosing the offset is counted from.
                var chosen = m.A == WriteHistory.PerformNow ? default : _history!.Chosen((byte)m.B, m.Loc, m.A);
                bool performing = _history!.TakePerforming((byte)m.B, m.Loc, out var request);
                if (performing && request.Kind == MessageKind.Wait)
                {
                    if (m.A == WriteHistory.PerformNow) Arrive(request, o);
                    else
                    {
                        // The spin ended on an older write its condition holds for.
                        ParkedWaits.Answer(request, chosen.Value, o);
                        _history.Read(request.Src, request.Loc, chosen);
                        Prune(request.Loc);
                    }
                }
                else if (performing && m.A == WriteHistory.PerformNow)
                {
                    if (request.Loc == Layout.Llq) o.Emit(EventKind.LlqCasPerformed, request.A, request.B, request.Src);
                    Write(request, o);
                }
                // A compare-and-swap's other choices are the older writes it fails on.
                else Read(o, (byte)m.B, m.Loc, chosen, m.C, performing ? MessageKind.RmwReply : MessageKind.LoadReply);
                return;
            case MessageKind.Wait when _history is not null && m.Src >= Layout.FirstThread && _keepsOlder[m.Loc]:
                // A spin's reads may take any write a load may read (Armv8): it may end on an older write its
                // condition holds for, or read on to the newest (PerformNow: end on it, or park until one holds).
            {
                var readable = o.Readable;
                _history.ReadableBy(m, readable);
                readable.RemoveAt(readable.Count - 1);
                for (int i = readable.Count - 1; i >= 0; i--)
                    if (!WaitCondition.Holds(_layout.Q, readable[i].Value, m)) readable.RemoveAt(i);
                if (readable.Count == 0) Arrive(m, o);
                else _history.Offer(m, readable, Layout.MemoryActor, o);
                return;
            }
            case MessageKind.Wait:
                _history?.SpinStarts(m.Src, m.Loc);
                Arrive(m, o);
                return;
            case MessageKind.DeviceMark:
                _history?.DeviceAnswered((byte)m.B, late: !_untimed);
                _history?.Prune(Layout.FirstThread);
                return;
            case MessageKind.Barrier:
                if (m.A == ReadFenceAfterDevice) _history?.ReadFence(m.Src);
                else _history?.Fence(m.Src);
                o.Send(m.Src, MessageKind.BarrierReply, DelayClass.Reply, Ordering.None, 0, 0, 0, m.C);
                _history?.Prune(Layout.FirstThread);
                return;
            case MessageKind.Cas when _history is not null && m.Src >= Layout.FirstThread && _keepsOlder[m.Loc]:
                // A CPU's compare-and-swap may fail on an older write it may read (WriteHistory.StaleCasReads).
            {
                var readable = o.Readable;
                _history.StaleCasReads(m, readable);
                if (readable.Count == 0) Write(m, o);
                else
                {
                    // Observers that follow llq apply this CAS where it is performed, not here (LlqAccess).
                    if (m.Loc == Layout.Llq) o.Emit(EventKind.LlqCasDeferred, m.Src);
                    _history.Offer(m, readable, Layout.MemoryActor, o);
                }
                return;
            }
            default:
                Write(m, o);
                return;
        }
    }

    /// <summary>A store or read-modify-write, performed now on the newest write.</summary>
    void Write(in Message m, Outbox o)
    {
        var q = _layout.Q;
        // Copied only here, on a write: memory is cloned for every delivery it takes, and loads and spins leave the words as they are.
        if (_wordsShared)
        {
            _words = ArrayCopy.Of(_words);
            _wordsShared = false;
        }
        ref long w = ref _words[m.Loc];
        long old = w;
        switch (m.Kind)
        {
            case MessageKind.Store or MessageKind.StoreCons or MessageKind.StoreMsi or MessageKind.AndNot or MessageKind.Add or MessageKind.Xor:
                w = WordUpdate.Apply(m, w);
                break;
            case MessageKind.Cas or MessageKind.FetchOr or MessageKind.FetchAndNot or MessageKind.FetchAdd:
                w = WordUpdate.Apply(m, w);
                o.Send(m.Src, MessageKind.RmwReply, DelayClass.Reply, Ordering.None, m.Loc, old, 0, m.C);
                if (_splitRmw && m.Src >= Layout.FirstThread && (m.Kind != MessageKind.Cas || old == m.A))
                {
                    Split(m, old, m.Loc == Layout.Lock ? (int)w : w, o);
                    return;
                }
                break;
            case MessageKind.RmwWrite:
                w = m.A;
                break;
            default:
                throw new InvalidOperationException($"memory cannot handle {m.Kind}");
        }
        // The lock is an atomic_t: keep it a sign-extended 32-bit value whatever 64-bit mask an RMW used.
        if (m.Loc == Layout.Lock) w = (int)w;
        // A compare-and-swap that fails writes nothing (in the Arm architecture it is a read); every other write is one,
        // same value or not. One that succeeds on llq is a reservation; a fetch_or there sets STOP.
        if (_history is not null)
        {
            _history.ReadModifyWrite(m, old, w);
            if (m.Kind != MessageKind.Cas || old == m.A) Arm(m);
        }
        if (m.Loc == Layout.OwnerProd) CheckOwnerProd(old, w, o);
        // A valid PTE the walker may fill from, at any moment from now while SMMUEN=1 (SmmuComponent, §0.8).
        if (m.Loc >= _layout.PteBase && m.Loc < _layout.VarBase && Pte.IsValid(w))
            o.Send(Layout.SmmuActor, MessageKind.PteWritten, DelayClass.DeviceRead, Ordering.None, m.Loc);
        if (w != old) _waits = _waits.Changed(q, m.Loc, w, o);
        SawAnswers(o);
        Prune(m.Loc);
    }

    /// <summary>
    /// rmw-write=split: the RMW has read <paramref name="old"/> (its reply is sent) and will write <paramref name="now"/>
    /// when its write, in flight as the CPU's, is delivered. Nothing else writes the location meanwhile
    /// (<see cref="OrderingRules.WrittenFirst"/>), so the write still comes right after the write it read.
    /// </summary>
    void Split(in Message m, long old, long now, Outbox o)
    {
        // Put back: Write changed the word in place before it knew the write was split.
        _words[m.Loc] = old;
        _history!.Saw(m.Src, m.Loc, _history.Newest(m.Loc).Stamp);
        Arm(m);
        o.SendAs(m.Src, Layout.MemoryActor, MessageKind.RmwWrite, DelayClass.Posted, Ordering.IsStore | (m.Order & Ordering.Release), m.Loc, now);
        Prune(m.Loc);
    }

    /// <summary>The CPU's own write there, or its reservation or STOP set on llq, arms its next spin (<see cref="WriteHistory.Arm"/>).</summary>
    void Arm(in Message m)
    {
        if (_layout.SpunOnlyAfterOwnStore(m.Loc)) _history!.Arm(m.Src, m.Loc);
        if (m.Kind is MessageKind.Cas or MessageKind.FetchOr && m.Loc == Layout.Llq) _history!.Arm(m.Src, Layout.OwnerProd);
    }

    /// <summary>A spin performed on the newest write: answered now if its condition holds, else parked until a write makes it hold.</summary>
    void Arrive(in Message wait, Outbox o)
    {
        _waits = _waits.Arrive(_layout.Q, wait, _words[wait.Loc], o);
        SawAnswers(o);
        Prune(wait.Loc);
    }

    /// <summary>In a barrier request's A: readl's dma_rmb after a device read, not a full barrier.</summary>
    public const long ReadFenceAfterDevice = 1;

    /// <summary>
    /// In a load request's A: a 32-bit read of one half of the llq word, the other half read next (resume's reset reads
    /// llq.prod, then llq.cons): different locations to Arm, so the second may read an older write (<see cref="WriteHistory.Read"/>).
    /// </summary>
    public const long OtherHalfNext = 1;

    void Read(Outbox o, byte thread, int loc, in WriteHistory.Readable r, long tag, MessageKind reply, bool unrecorded = false)
    {
        _history!.Read(thread, loc, r, unrecorded);
        o.Send(thread, reply, DelayClass.Reply, Ordering.None, loc, r.Value, 0, tag);
        Prune(loc);
    }

    /// <summary>A spin answered now read the newest write: later loads of that thread read no older one, and its barriers order them after it.</summary>
    void SawAnswers(Outbox o)
    {
        if (_history is null) return;
        foreach (var a in o.Sent)
            if (a.Kind == MessageKind.WaitReply && a.Dst >= Layout.FirstThread) _history.Spun(a.Dst, a.Loc, WaitCondition.SpinsAgain(a.C));
    }

    void Prune(int loc) => _history?.Prune(Layout.FirstThread, loc);

    /// <summary>owner_prod must only move forward (within one lap) and never carry flag bits (queue invariants).</summary>
    void CheckOwnerProd(long old, long now, Outbox o)
    {
        var q = _layout.Q;
        if (((uint)now & ~q.IdxWrpMask) != 0)
            o.Emit(EventKind.FlagBitsInRegister, Layout.OwnerProd, now);
        uint fwd = q.Distance((uint)old, (uint)now);
        if (fwd > q.Entries)
            o.Emit(EventKind.OwnerProdBackwards, old, now);
    }

    public void Withdraw(byte waiter) => _waits = _waits.Withdraw(waiter);

    public int ParkedAt(byte waiter) => _waits.ParkedAt(waiter);

    public void Retire(byte thread) => _history?.Retire(thread);

    public void Hash(ref StateHasher h)
    {
        foreach (var w in _words) h.Add(w);
        _waits.Hash(ref h);
        _history?.Hash(ref h);
    }

    public IComponent Clone()
    {
        _wordsShared = true;
        return new MemoryComponent(this);
    }

    /// <summary>
    /// A copy of <paramref name="o"/> that shares its configuration and, until either writes, its words
    /// (why not MemberwiseClone: <see cref="ArrayCopy"/>).
    /// </summary>
    MemoryComponent(MemoryComponent o)
    {
        _layout = o._layout;
        _words = o._words;
        _wordsShared = o._wordsShared;
        _waits = o._waits;
        _history = o._history?.Clone();
        _keepsOlder = o._keepsOlder;
        _splitRmw = o._splitRmw;
        _untimed = o._untimed;
    }
}
