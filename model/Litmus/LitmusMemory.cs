using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Litmus;

/// <summary>
/// Normal memory for litmus threads under the Armv8 rules: each write is visible to all at delivery
/// (<see cref="WriteHistory"/>); a load that may read more than one write puts one <c>ReadChoice</c> per write
/// in flight as alternatives, so which it reads is a choice the search explores like any delivery order.
/// Read-modify-writes read the newest write and write after it in one step (Arm's atomicity axiom); a compare-and-swap
/// may instead fail on an older write, as a load may read one. A load's reply names the write it read (B), which a
/// store-exclusive's write must still find newest (<see cref="Infeasible"/>).
/// </summary>
public sealed class LitmusMemory : IComponent
{
    WriteHistory _history;

    /// <summary>
    /// A store-exclusive's write arrived after another write to its location had become newest since its load-exclusive's
    /// read: the thread chose success, and aarch64.cat's atomicity (<c>rmw &amp; (fre; coe)</c> empty) says no execution
    /// has it, so the explorer drops this one.
    /// </summary>
    public bool Infeasible => _infeasible;

    [NotState("true only in a state the explorer drops at once")]
    bool _infeasible;

    // Stamps hashed by value: the threads hold them too, in their registers' views and floors.
    public LitmusMemory(IReadOnlyList<long> initial, int actors) => _history = new WriteHistory(initial, actors, byRank: false);

    public long Read(int loc) => _history.Current(loc);

    public void Handle(in Message m, Outbox o)
    {
        switch (m.Kind)
        {
            case MessageKind.Load:
                if (_history.Forwarded(m))
                {
                    Reply(o, m.Src, MessageKind.LoadReply, m.Loc, m.B, Math.Max(_history.Floor(m), m.A), m.C, WriteHistory.Identity(m.Src, m.Own));
                    return;
                }
                var readable = o.Readable;
                _history.ReadableBy(m, readable);
                if (readable.Count == 1) Read(o, m.Src, m.Loc, readable[0], m.C, MessageKind.LoadReply);
                else _history.Offer(m, readable, LitmusExplorer.MemoryActor, o);
                return;
            case MessageKind.ReadChoice:
                // Resolved before TakePerforming, which ends the choosing the offset is counted from.
                var chosen = m.A == WriteHistory.PerformNow ? default : _history.Chosen((byte)m.B, m.Loc, m.A);
                bool cas = _history.TakePerforming((byte)m.B, m.Loc, out var rmw);
                if (cas && m.A == WriteHistory.PerformNow) { ReadModifyWrite(rmw, o); return; }
                // A compare-and-swap's other choices are the older writes it fails on.
                Read(o, (byte)m.B, m.Loc, chosen, m.C, cas ? MessageKind.RmwReply : MessageKind.LoadReply);
                return;
            case MessageKind.Store:
                if ((m.Order & Ordering.Exclusive) != 0 && !_history.NewestIs(m.Loc, m.B))
                {
                    _infeasible = true;
                    return;
                }
                _history.Append(m, m.A);
                return;
            case MessageKind.Cas:
                // A compare-and-swap may fail on an older write it may read (WriteHistory.StaleCasReads).
                var older = o.Readable;
                _history.StaleCasReads(m, older);
                if (older.Count == 0) ReadModifyWrite(m, o);
                else _history.Offer(m, older, LitmusExplorer.MemoryActor, o);
                return;
            case MessageKind.Swap or MessageKind.FetchAdd:
                ReadModifyWrite(m, o);
                return;
            case MessageKind.Barrier:
                // A DSB ST (A = 1) leaves the floor of the thread's earlier loads, still in flight, where it is.
                Reply(o, m.Src, MessageKind.BarrierReply, 0, m.A, m.A == 1 ? _history.LastWrite(m.Src) : _history.Fence(m.Src), m.C);
                return;
            default:
                throw new InvalidOperationException($"litmus memory cannot handle {m.Kind}");
        }
    }

    /// <summary>Reads the newest write and writes right after it, in one step (Arm's atomicity axiom).</summary>
    void ReadModifyWrite(in Message m, Outbox o)
    {
        long old = _history.Current(m.Loc);
        long performed = Math.Max(_history.Floor(m), _history.Newest(m.Loc).Stamp);
        _history.ReadModifyWrite(m, old, Update(m, old));
        Reply(o, m.Src, MessageKind.RmwReply, m.Loc, old, performed, m.C);
    }

    /// <summary>
    /// What atomic <paramref name="m"/> writes over <paramref name="old"/>: an LDop's or STop's operation (in B, its Rs in A)
    /// at the access's width, so a 4-byte one (<see cref="Ordering.Narrow"/>) leaves 32 bits, as a 4-byte store does; a
    /// CAS's or SWP's as the driver's memory has it.
    /// </summary>
    static long Update(in Message m, long old) => m.Kind == MessageKind.FetchAdd
        ? DataProcessing.Apply((AluOp)m.B, old, m.A, (m.Order & Ordering.Narrow) == 0)
        : WordUpdate.Apply(m, old);

    void Read(Outbox o, byte thread, int loc, in WriteHistory.Readable r, long tag, MessageKind reply)
    {
        long written = _history.IdentityOf(loc, r.Stamp);
        _history.Read(thread, loc, r);
        Reply(o, thread, reply, loc, r.Value, r.Performed, tag, written);
    }

    /// <summary>A reply to <paramref name="thread"/>; <paramref name="written"/> names the write read (<see cref="WriteHistory.Identity"/>), for a load-exclusive.</summary>
    static void Reply(Outbox o, byte thread, MessageKind kind, int loc, long value, long performed, long tag, long written = 0) =>
        o.Send(thread, kind, DelayClass.Reply, Ordering.None, loc, value, written, tag, view: performed);

    public void Hash(ref StateHasher h) => _history.Hash(ref h);

    public IComponent Clone()
    {
        var c = (LitmusMemory)MemberwiseClone();
        c._history = _history.Clone();
        return c;
    }
}
