using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// The SMMU hardware (protocol.md §0.8, §2.8, §2.9): registers, a TLB that may survive SMMUEN
/// 1->0->1 and power-down, a table walker that walks and fills speculatively only while SMMUEN=1,
/// and in-order command consumption from the ring once PROD moves and CMDQEN=1. Under cons-advance=any the SMMU is as
/// loose as SMMUv3 allows: it reads commands ahead, they take effect in any order until a CMD_SYNC, which waits for all
/// of them, and CONS passes a command any time after it was read, a CMD_SYNC only once it completed.
/// </summary>
public sealed partial class SmmuComponent : IComponent, IWaitHolder
{
    [NotState("configuration, fixed at construction")]
    readonly Layout _layout;
    [NotState("configuration, fixed at construction")]
    readonly ConsAdvance _consAdvance;
    [NotState("configuration, fixed at construction")]
    readonly bool _offReadsZero;
    [NotState("configuration, fixed at construction")]
    readonly bool _msiMayBeLost;
    long[] _tlb;        // generation cached per IOVA, 0 = no entry
    long[] _walkEpoch;  // a TLBI or power loss makes in-flight walks of that IOVA stale
    [NotState("bookkeeping of the copy on write: whether the TLB and walk epochs are shared with a clone")]
    bool _arraysShared;
    ParkedWaits _waits;
    bool _powered;
    long _cr0;
    long _gbpa;
    uint _prod, _cons;
    bool _busy;         // a read of a slot, or under completion and fetch a command's execution, is in flight
    long _epoch;
    // cons-advance=any: the next slot to read (CONS <= _fetch <= PROD); how many commands read are still to take effect;
    // the CMD_SYNC at _fetch waiting for them (its slot, 0 if none); whether a step of CONS towards _fetch is in flight.
    uint _fetch;
    int _executing;
    long _waitingSync;
    bool _consStepping;
    long _msiUnsent;    // msi-power-off=lost: 1 + the position of the CMD_SYNC whose MSI has not left the SMMU, or 0

    public SmmuComponent(Layout layout, ConsAdvance consAdvance, long[] initialTlb, OffReads offReads = OffReads.Kept,
        MsiPowerOff msiPowerOff = MsiPowerOff.Lands)
    {
        _layout = layout;
        _consAdvance = consAdvance;
        _offReadsZero = offReads == OffReads.Zero;
        _msiMayBeLost = msiPowerOff == MsiPowerOff.Lost;
        _tlb = (long[])initialTlb.Clone();
        _walkEpoch = new long[layout.Iovas];
        _waits = new();
        _powered = true;
        _cr0 = Cr0.SmmuEn | Cr0.CmdqEn;
        _epoch = 1;
    }

    /// <summary>
    /// A copy of <paramref name="o"/> sharing its TLB and walk epochs until either side writes them (the SMMU is cloned
    /// for every delivery it takes, and few change either; why not MemberwiseClone: <see cref="ArrayCopy"/>).
    /// </summary>
    SmmuComponent(SmmuComponent o)
    {
        _layout = o._layout;
        _consAdvance = o._consAdvance;
        _offReadsZero = o._offReadsZero;
        _msiMayBeLost = o._msiMayBeLost;
        _tlb = o._tlb;
        _walkEpoch = o._walkEpoch;
        _arraysShared = o._arraysShared;
        _waits = o._waits;
        _powered = o._powered;
        _cr0 = o._cr0;
        _gbpa = o._gbpa;
        _prod = o._prod;
        _cons = o._cons;
        _busy = o._busy;
        _epoch = o._epoch;
        _fetch = o._fetch;
        _executing = o._executing;
        _waitingSync = o._waitingSync;
        _consStepping = o._consStepping;

        _msiUnsent = o._msiUnsent;
    }

    public bool Enabled => _powered && (_cr0 & Cr0.SmmuEn) != 0;

    public void Handle(in Message m, Outbox o)
    {
        // A thread has one request out at a time, so a marked wait of it still parked here was given up: its spin timed
        // out in a timed run, where no withdrawal comes (the search withdraws it). Answered later, it would tell memory of
        // a read the thread is past, and raise its floor under a load it has in flight. Of the marked spins only the
        // CMD_SYNC wait on CONS times out, and the thread's next request then is its final CONS read, marked too.
        if (m.Marked) _waits = _waits.WithdrawMarked(m.Src);
        switch (m.Kind)
        {
            case MessageKind.MmioWrite: Write((SmmuRegister)m.Loc, m.A, o); break;
            case MessageKind.MmioRead:
                ReadUnknown((SmmuRegister)m.Loc, o);
                o.Send(m.Src, MessageKind.LoadReply, DelayClass.Reply, Ordering.None, m.Loc, Read((SmmuRegister)m.Loc), 0, m.C);
                if (m.Marked) ParkedWaits.MarkAnswered(m.Src, o);
                break;
            case MessageKind.Wait:
                ReadUnknown((SmmuRegister)m.Loc, o);
                _waits = _waits.Arrive(_layout.Q, m, Read((SmmuRegister)m.Loc), o);
                break;
            case MessageKind.LoadReply when m.Loc >= _layout.PteBase: WalkDone(m, o); break;
            // The walker may walk a valid PTE at any moment while SMMUEN=1 (§0.8), not only at SMMUEN 0->1 and after a
            // TLBI: told of it when it lands, it walks it whenever this message arrives, which may be any time later.
            case MessageKind.PteWritten:
                if (Enabled) Walk(m.Loc - _layout.PteBase, o);
                break;
            case MessageKind.LoadReply: Fetched(m, o); break;
            case MessageKind.Timer when m.Loc == MsiIssue: SendMsi(m, o); break;
            case MessageKind.Timer when m.Loc == ConsStep: StepCons(m, o); break;
            case MessageKind.Timer: Execute(m, o); break;
            default: throw new InvalidOperationException($"SMMU cannot handle {m.Kind}");
        }
    }

    long Read(SmmuRegister r) => !_powered && _offReadsZero && r != SmmuRegister.Power ? 0 : r switch
    {
        SmmuRegister.Prod => _prod,
        SmmuRegister.Cons => _cons,
        SmmuRegister.Cr0 or SmmuRegister.Cr0Ack => _cr0, // CR0ACK follows CR0 at once in this model
        SmmuRegister.Gbpa => _gbpa,
        SmmuRegister.Power => _powered ? 1 : 0,
        _ => throw new InvalidOperationException($"no SMMU register {r}"),
    };

    /// <summary>
    /// Reports a CPU's read of a register whose value no fact gives: any but the power state while powered off, and PROD
    /// or CONS from power-on until resume's reset wrote them (UNKNOWN, SMMUv3 §6.3.27, §6.3.28), taken as until CMDQEN is
    /// set, which the reset does after writing both (so a read between those writes and CMDQEN counts too: the bound is
    /// safe, and it is read off state the SMMU keeps anyway). off-reads chose the value the model answers with; hardware
    /// may give another, so a clean search that reached this is no proof (<see cref="Workloads.ScenarioModel.RegisterReadsMayBeUnknown"/>).
    /// </summary>
    void ReadUnknown(SmmuRegister r, Outbox o)
    {
        if (r != SmmuRegister.Power && (!_powered || r is SmmuRegister.Prod or SmmuRegister.Cons && ProdConsMayBeUnknown))
            o.Branch(ProtocolBranch.UnknownRegisterRead);
    }

    /// <summary>Powered on again after a power-off, and CMDQEN not yet set since (<see cref="ReadUnknown"/>).</summary>
    bool ProdConsMayBeUnknown => _epoch > 1 && (_cr0 & Cr0.CmdqEn) == 0;

    void Write(SmmuRegister r, long v, Outbox o)
    {
        if (r == SmmuRegister.Power) { SetPower(v != 0, o); return; }
        if (!_powered) return; // a powered-off SMMU ignores register writes
        var q = _layout.Q;
        switch (r)
        {
            case SmmuRegister.Prod:
                if (((uint)v & ~q.IdxWrpMask) != 0) o.Emit(EventKind.FlagBitsInRegister, (long)SmmuRegister.Prod, v);
                _prod = (uint)v & q.IdxWrpMask;
                _waits = _waits.Changed(q, (int)SmmuRegister.Prod, _prod, o);
                break;
            case SmmuRegister.Cons:
                // The CONS register's ERR field (bits 30:24, CMDQ_CONS_ERR) is the only flag hardware defines. Only OWNED (bit 31)
                // is flagged here: STOP's bit 30 lies inside ERR, so a STOP that reached CONS cannot be told from an ERR value.
                if (((uint)v & ~(q.IdxWrpMask | 0x7F000000u)) != 0) o.Emit(EventKind.FlagBitsInRegister, (long)SmmuRegister.Cons, v);
                _cons = (uint)v & q.IdxWrpMask;
                if (ReadsAhead) _fetch = _cons; // written with CMDQEN=0 (§6.3.28): nothing is read ahead
                _waits = _waits.Changed(q, (int)SmmuRegister.Cons, _cons, o);
                break;
            case SmmuRegister.Cr0:
                long was = _cr0;
                _cr0 = v;
                _waits = _waits.Changed(q, (int)SmmuRegister.Cr0Ack, _cr0, o);
                if ((was & Cr0.SmmuEn) == 0 && (v & Cr0.SmmuEn) != 0)
                {
                    o.Emit(EventKind.SmmuEnable, 1);
                    for (int i = 0; i < _tlb.Length; i++) Walk(i, o);
                }
                else if ((was & Cr0.SmmuEn) != 0 && (v & Cr0.SmmuEn) == 0)
                    o.Emit(EventKind.SmmuEnable, 0);
                if (_consAdvance == ConsAdvance.Any && (was & Cr0.CmdqEn) != 0 && (v & Cr0.CmdqEn) == 0) StopCommands(o);
                break;
            case SmmuRegister.Gbpa: _gbpa = v; break;
            default: throw new InvalidOperationException($"register {r} is read-only");
        }
        TryFetch(o);
    }

    void SetPower(bool on, Outbox o)
    {
        if (on == _powered) return;
        _powered = on;
        // A CPU still polling a register here reads values no fact gives from now on: any but the power state once off,
        // PROD and CONS once on, until resume's reset writes them.
        if (_waits.HoldsAt(on ? r => r is (int)SmmuRegister.Prod or (int)SmmuRegister.Cons : r => r != (int)SmmuRegister.Power))
            o.Branch(ProtocolBranch.UnknownRegisterRead);
        if (on)
        {
            // PROD and CONS reset to UNKNOWN values (SMMUv3 §6.3.27, §6.3.28) until resume's reset writes them: under
            // off-reads=zero they read 0 from power-on too, as while powered off; kept keeps the old values, also allowed.
            if (!_offReadsZero) return;
            _prod = _cons = 0;
            if (ReadsAhead) _fetch = 0;
            _waits = _waits.Changed(_layout.Q, (int)SmmuRegister.Prod, _prod, o);
            _waits = _waits.Changed(_layout.Q, (int)SmmuRegister.Cons, _cons, o);
            return;
        }
        // Power-down loses register state and anything in flight; the TLB may survive (§2.9, §5.7).
        if ((_cr0 & Cr0.SmmuEn) != 0) o.Emit(EventKind.SmmuEnable, 0);
        _cr0 = 0;
        _busy = false;
        _epoch++;
        if (ReadsAhead) _fetch = _cons; // what was read and not consumed is read again after resume
        _executing = 0;
        _waitingSync = 0;
        _consStepping = false;
        _msiUnsent = 0;
        OwnArrays();
        for (int i = 0; i < _walkEpoch.Length; i++) _walkEpoch[i]++;
        o.Emit(EventKind.PowerOff);
    }

    bool ReadsAhead => _consAdvance == ConsAdvance.Any;

    /// <summary>The next slot to read: CONS, or under cons-advance=any the first one not yet read.</summary>
    uint NextRead => ReadsAhead ? _fetch : _cons;

    void TryFetch(Outbox o)
    {
        if (_busy || _waitingSync != 0 || !_powered || (_cr0 & Cr0.CmdqEn) == 0 || _layout.Q.Empty(_prod, NextRead)) return;
        _busy = true;
        o.Send(Layout.MemoryActor, MessageKind.Load, DelayClass.DeviceRead, Ordering.None, _layout.Slot(NextRead), 0, 0, _epoch);
    }

    void Fetched(in Message m, Outbox o)
    {
        if (m.C != _epoch) return; // fetched before a power loss
        if (ReadsAhead) { ReadAhead(m, o); return; }
        uint pos = _cons;
        o.Emit(EventKind.Fetched, pos, CmdqEntry.Id(m.A));
        if (_consAdvance == ConsAdvance.Fetch)
        {
            ConsumeUpTo(Next(_cons), o);
            // One command at a time: every earlier one took effect before this read, so a CMD_SYNC that CONS passes here
            // has completed (§4.7.3), and its MSI goes as msi-power-off says, not with a later step a power-off cancels.
            if (CmdqEntry.Op(m.A) == CommandOp.Sync)
            {
                TakeEffect(m.A, pos, o);
                _busy = false;
                TryFetch(o);
                return;
            }
        }
        o.Send(Layout.SmmuActor, MessageKind.Timer, DelayClass.Execution, Ordering.None, 0, m.A, pos, _epoch);
    }

    /// <summary>
    /// cons-advance=any or fetch: CONS passes every command up to <paramref name="end"/>, each reported, as a command
    /// consumed before it took effect may never take effect, and that is no lost command (§4.8: consuming a TLBI or CFGI
    /// means nothing; consuming a CMD_SYNC means its guarantees were met, and under fetch its MSI is what a power-off loses).
    /// </summary>
    void ConsumeUpTo(uint end, Outbox o)
    {
        if (_cons == end) return;
        for (uint p = _cons; p != end; p = Next(p)) o.Emit(EventKind.Consumed, p);
        _cons = end;
        _waits = _waits.Changed(_layout.Q, (int)SmmuRegister.Cons, _cons, o);
    }

    void Execute(in Message m, Outbox o)
    {
        if (m.C != _epoch) return; // power was lost before the command took effect
        if (ReadsAhead && CmdqEntry.Op(m.A) == CommandOp.Sync) { CompleteSync(m, o); return; }
        TakeEffect(m.A, (uint)m.B, o);
        if (ReadsAhead)
        {
            _executing--;
            ScheduleSync(o);
            return;
        }
        if (_consAdvance == ConsAdvance.Completion) AdvanceCons(o);
        _busy = false;
        TryFetch(o);
    }

    void TakeEffect(long slot, uint pos, Outbox o)
    {
        var op = CmdqEntry.Op(slot);
        switch (op)
        {
            case CommandOp.TlbiVa: Invalidate(CmdqEntry.Arg(slot), o); break;
            case CommandOp.TlbiAll:
                for (int i = 0; i < _tlb.Length; i++) Invalidate(i, o);
                break;
            case CommandOp.CfgiAll: break; // no configuration cache state is modelled beyond ordering
            case CommandOp.Sync:
                if (CmdqEntry.Arg(slot) != 1) break; // CS=IRQ with MSI to its own slot (§2.5)
                if (!_msiMayBeLost) { IssueMsi(pos, o); break; }
                // msi-power-off=lost: the write leaves the SMMU in a step of its own, which a power-off before it cancels;
                // but a CMD_SYNC completes only after the MSI of the one before it (§4.7.3), so one still unsent goes first.
                if (_msiUnsent != 0) IssueMsi((uint)(_msiUnsent - 1), o);
                _msiUnsent = pos + 1L;
                o.Send(Layout.SmmuActor, MessageKind.Timer, DelayClass.Execution, Ordering.None, MsiIssue, 0, pos, _epoch);
                break;
        }
        o.Emit(EventKind.Executed, pos, CmdqEntry.Id(slot), (long)op);
    }

    /// <summary>The locations the SMMU's own timers name apart from command execution's (0): a pending MSI, a CONS step.</summary>
    const int MsiIssue = 1, ConsStep = 2;

    void SendMsi(in Message m, Outbox o)
    {
        // Powered off before the MSI left the SMMU, or a later CMD_SYNC's completion sent it already.
        if (m.C != _epoch || _msiUnsent != m.B + 1) return;
        IssueMsi((uint)m.B, o);
    }

    /// <summary>
    /// A CMD_SYNC's MSI leaves the SMMU. MSIs land in the order their CMD_SYNCs completed: "CMD_SYNCs complete in order.
    /// The MSI writes of any prior CMD_SYNC are [...] visible" once a later one completes (§4.7.3).
    /// </summary>
    void IssueMsi(uint pos, Outbox o)
    {
        _msiUnsent = 0;
        o.Send(Layout.MemoryActor, MessageKind.StoreMsi, DelayClass.Posted, Ordering.IsStore | Ordering.AfterStores, _layout.Slot(pos));
    }

    /// <summary>The queue position after <paramref name="p"/>.</summary>
    uint Next(uint p) => _layout.Q.IncProdN(p, 1, keepStop: false);

    void AdvanceCons(Outbox o)
    {
        _cons = Next(_cons);
        _waits = _waits.Changed(_layout.Q, (int)SmmuRegister.Cons, _cons, o);
    }

    void Invalidate(int iova, Outbox o)
    {
        OwnArrays();
        _tlb[iova] = 0;
        _walkEpoch[iova]++;
        o.Emit(EventKind.TlbInvalidate, iova);
        if (Enabled) Walk(iova, o); // device traffic goes on and may re-fill at once
    }

    /// <summary>Before the TLB or the walk epochs are written: a copy of both if a clone shares them.</summary>
    void OwnArrays()
    {
        if (!_arraysShared) return;
        _tlb = ArrayCopy.Of(_tlb);
        _walkEpoch = ArrayCopy.Of(_walkEpoch);
        _arraysShared = false;
    }

    void Walk(int iova, Outbox o) =>
        o.Send(Layout.MemoryActor, MessageKind.Load, DelayClass.DeviceRead, Ordering.None, _layout.Pte(iova), 0, 0, _walkEpoch[iova]);

    void WalkDone(in Message m, Outbox o)
    {
        int iova = m.Loc - _layout.PteBase;
        // A walk overtaken by a TLBI or power loss is dropped, as TLBI+SYNC waits for walks in flight;
        // a fill needs SMMUEN=1 at the time it lands (§0.8).
        if (m.C != _walkEpoch[iova] || !Enabled || !Pte.IsValid(m.A)) return;
        OwnArrays();
        _tlb[iova] = Pte.Gen(m.A);
        o.Emit(EventKind.TlbFill, iova, _tlb[iova]);
        o.Branch(ProtocolBranch.SpeculativeFill);
    }

    public void Withdraw(byte waiter) => _waits = _waits.Withdraw(waiter);

    public int ParkedAt(byte waiter) => _waits.ParkedAt(waiter);

    /// <summary>Whether a marked wait is parked here: any delivery here may answer it and so tell memory its moment (<see cref="ParkedWaits.MarkAnswered"/>).</summary>
    public bool HoldsMarked => _waits.HoldsMarked;

    public void Hash(ref StateHasher h)
    {
        h.Add(_powered ? 1 : 0); h.Add(_cr0); h.Add(_gbpa); h.Add(_prod); h.Add(_cons); h.Add(_busy ? 1 : 0); h.Add(_epoch);
        h.Add(_fetch); h.Add(_executing); h.Add(_waitingSync); h.Add(_consStepping ? 1 : 0); h.Add(_msiUnsent);
        foreach (var t in _tlb) h.Add(t);
        foreach (var e in _walkEpoch) h.Add(e);
        _waits.Hash(ref h);
    }

    public IComponent Clone()
    {
        _arraysShared = true;
        return new SmmuComponent(this);
    }
}
