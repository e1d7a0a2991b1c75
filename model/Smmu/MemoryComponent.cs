using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// Normal memory shared by the CPUs and the SMMU. Every access is performed atomically when its
/// message is delivered; ordering between accesses comes only from message delay and the
/// interconnect's rules (coherence per source and location, barriers), per protocol.md §0.13, §4.2.
/// </summary>
public sealed class MemoryComponent : IComponent, IWaitHolder
{
    [NotState("configuration, fixed at construction")]
    readonly Layout _layout;
    long[] _words;
    ParkedWaits _waits = new();

    public MemoryComponent(Layout layout, long[] initial)
    {
        _layout = layout;
        _words = (long[])initial.Clone();
    }

    public long Read(int loc) => _words[loc];

    public void Handle(in Message m, Outbox o)
    {
        var q = _layout.Q;
        ref long w = ref _words[m.Loc];
        long old = w;
        switch (m.Kind)
        {
            case MessageKind.Load:
                o.Send(m.Src, MessageKind.LoadReply, DelayClass.Reply, Ordering.None, m.Loc, w, 0, m.C);
                return;
            case MessageKind.Wait:
                _waits.Arrive(q, m, w, o);
                return;
            case MessageKind.Barrier:
                o.Send(m.Src, MessageKind.BarrierReply, DelayClass.Reply, Ordering.None, 0, 0, 0, m.C);
                return;
            case MessageKind.Store or MessageKind.StoreCons or MessageKind.StoreMsi or MessageKind.AndNot or MessageKind.Add or MessageKind.Xor:
                w = WordUpdate.Apply(m, w);
                break;
            case MessageKind.Cas or MessageKind.FetchOr or MessageKind.FetchAndNot or MessageKind.FetchAdd:
                w = WordUpdate.Apply(m, w);
                o.Send(m.Src, MessageKind.RmwReply, DelayClass.Reply, Ordering.None, m.Loc, old, 0, m.C);
                break;
            default:
                throw new InvalidOperationException($"memory cannot handle {m.Kind}");
        }
        // The lock is an atomic_t: keep it a sign-extended 32-bit value whatever 64-bit mask an RMW used.
        if (m.Loc == Layout.Lock) w = (int)w;
        if (m.Loc == Layout.OwnerProd) CheckOwnerProd(old, w, o);
        if (w != old) _waits.Changed(q, m.Loc, w, o);
    }

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

    public void Withdraw(byte waiter) => _waits.Withdraw(waiter);

    public void Hash(ref StateHasher h)
    {
        foreach (var w in _words) h.Add(w);
        _waits.Hash(ref h);
    }

    public IComponent Clone()
    {
        var c = (MemoryComponent)MemberwiseClone();
        c._words = (long[])_words.Clone();
        c._waits = _waits.Clone();
        return c;
    }
}
