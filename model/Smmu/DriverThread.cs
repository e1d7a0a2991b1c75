using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// A CPU running driver paths as an explicit program-counter state machine. Plain stores are
/// posted (the CPU goes on), loads, RMWs, spins and barriers block until their reply, except a workload's `load` op
/// under loads=armv8. The power manager is a thread too: its suspend/resume program uses the same submit path.
/// Partial: the submit path (arm_smmu_cmdq_issue_cmdlist), the power paths and workload loads live in their own files.
/// </summary>
public sealed partial class DriverThread : IComponent
{
    /// <summary>The driver's CMD_SYNC timeout, 1 s (§2.5), in ticks of 1 ns.</summary>
    public const long SyncTimeoutTicks = 1_000_000_000;

    [NotState("configuration, fixed at construction")]

    readonly Layout _l;
    [NotState("configuration, fixed at construction")]
    readonly Variant _v;
    [NotState("configuration, fixed at construction")]
    readonly Op[] _program;
    /// <summary>Per op index, how many store-release ops come before it: what its stores and barriers carry (<see cref="Message.Releases"/>).</summary>
    [NotState("configuration, fixed at construction")]
    readonly ushort[] _releasesBefore;
    [NotState("configuration, fixed at construction")]
    readonly byte _self;
    [NotState("configuration, fixed at construction")]
    readonly int _index;
    [NotState("configuration, fixed at construction")]
    readonly long _drainTimeout;
    [NotState("configuration, fixed at construction")]
    readonly bool _untimed;
    long[] _gen;

    Pc _pc = Pc.NotStarted;
    int _op;
    bool _blocked;
    // Tags this thread's requests so a late answer to a spin that timed out is told from the current one.
    // A block answered in time leaves nothing behind, so the id moves on only at a timeout, and only in timed
    // runs: untimed, a timeout withdraws the parked wait and nothing stale is left (docs/model.md, "Search").
    long _blockId;
    byte _spinAt;
    long _reply;
    bool _timedOut;
    bool _timerIsTimeout;
    int _cmdSeq;

    /// <summary><paramref name="untimed"/>: the exhaustive search's semantics, where a timeout withdraws the spin's parked wait.</summary>
    public DriverThread(Layout layout, Variant variant, int index, Op[] program, long[] initialGenerations, long drainTimeoutTicks, bool untimed)
    {
        _untimed = untimed;
        _l = layout;
        _v = variant;
        _index = index;
        _self = (byte)(Layout.FirstThread + index);
        _program = program;
        _releasesBefore = new ushort[program.Length + 1];
        for (int k = 0; k < program.Length; k++)
            _releasesBefore[k + 1] = checked((ushort)(_releasesBefore[k] + (program[k].Kind == OpKind.StoreRelease ? 1 : 0)));
        _gen = (long[])initialGenerations.Clone();
        _drainTimeout = drainTimeoutTicks;
    }

    enum Pc
    {
        NotStarted, NextOp, Finished, Resume,
        // unmap (§0.11) and the early can-elide check (§3.5)
        UnmapElideCheck, UnmapEarlyCheck, UnmapEarlyReload, UnmapSubmit, UnmapDone,
        // issue_cmdlist (§2.3)
        GateOutsideCheck, Loop, Snapshot, LoopTop, HasSpace, RecheckLoad, RecheckDone, TryLockDone, RefreshCons, FullWaitDone,
        CasDone, SharedLockDone, Valid, OwnerClaim, OwnerClaimed, PollValid, PollValidNext, SyncCheck, SyncDone, SyncFenced, TryUnlock,
        // runtime suspend (§0.9) and resume (§0.10)
        SuspendEntered, SuspendDisableDone, SuspendStopDone, SuspendFlushDone, SuspendDrainDone, SuspendQuiesceFenced, SuspendQuiesced, SuspendWriteback, SuspendPowerOff,
        ResumePowerOn, ResumeReset, ResumeLoadLlq, ResumeEnableCmdq, ResumeTlbi, ResumeBarrier, ResumeEnable,
        LitmusLoad,
        // Last, not beside SuspendStopDone: a Pc's number is hashed, and full-queue's reduced state count follows the hash
        // order (the cycle proviso), so a number shifted moved the published counts without changing any verdict.
        SuspendStopFenced,
        ResumeLoadProd,
        SyncTimedOutCons,
    }

    public void Handle(in Message m, Outbox o)
    {
        switch (m.Kind)
        {
            case MessageKind.Start:
                _pc = Pc.NextOp;
                break;
            case MessageKind.LoadReply when IsLoadAnswer(m):
                LoadAnswered(o, m);
                break;
            case MessageKind.Timer:
            case MessageKind.LoadReply:
            case MessageKind.RmwReply:
            case MessageKind.WaitReply:
            case MessageKind.BarrierReply:
                // A reply for an earlier block (a spin that already timed out, or a timer whose wait was answered) is stale.
                if (!_blocked || WaitCondition.WaitId(m.C) != _blockId) return;
                _blocked = false;
                _spinning = false;
                _timedOut = m.Kind == MessageKind.Timer && _timerIsTimeout;
                // The spin was answered first: its timeout timer is moot.
                if (_timerIsTimeout && !_timedOut) o.CancelTimer(_blockId << 8);
                // The spin timed out: its poll loop stopped reading. The search withdraws the wait from its holder too (in a
                // timed run it stays parked there, its late answer stale: RunLoop.Deliver); either way its request and
                // answer still on their way go (Fabric.DropSpin).
                if (_timedOut) o.Withdraw(_spinAt);
                if (_timedOut && !_untimed) _blockId++;
                _reply = m.A;
                break;
            default:
                throw new InvalidOperationException($"thread cannot handle {m.Kind}");
        }
        Run(o);
    }

    // ---- blocking primitives: each issues one request and parks the thread until its reply ----

    long NextBlock()
    {
        _blocked = true;
        _timerIsTimeout = false;
        return _blockId << 8;
    }

    void Load(Outbox o, int loc, Pc next, long how = 0)
    {
        if (!_l.PlainLoadTarget(loc)) throw new InvalidOperationException($"a plain load of {loc}, which memory keeps no older writes of (Layout.PlainLoadTarget)");
        o.Send(Layout.MemoryActor, MessageKind.Load, DelayClass.Request, Ordering.None, loc, how, 0, NextBlock());
        _pc = next;
    }

    void ReadRegister(Outbox o, SmmuRegister r, Pc next, bool marked = false)
    {
        o.Send(Layout.SmmuActor, MessageKind.MmioRead, DelayClass.Request, Ordering.None, (int)r, 0, 0, NextBlock(), marked: Marks(marked));
        _pc = next;
    }

    void Rmw(Outbox o, MessageKind kind, int loc, long a, long b, Pc next, Ordering extra = Ordering.None)
    {
        o.Send(Layout.MemoryActor, kind, DelayClass.Request, Ordering.IsStore | extra, loc, a, b, NextBlock(), releases: Releases);
        _pc = next;
    }

    void Barrier(Outbox o, Pc next)
    {
        o.Send(Layout.MemoryActor, MessageKind.Barrier, DelayClass.Request, Ordering.AfterStores, 0, 0, 0, NextBlock(), releases: Releases);
        _pc = next;
    }

    /// <summary>readl's dma_rmb (DMB OSHLD) after a device read: later loads are performed after that read (§4.1).</summary>
    void ReadFence(Outbox o, Pc next)
    {
        o.Send(Layout.MemoryActor, MessageKind.Barrier, DelayClass.Request, Ordering.None, 0, MemoryComponent.ReadFenceAfterDevice, 0, NextBlock());
        _pc = next;
    }

    /// <summary>
    /// Whether a device read that a fence follows (<paramref name="fenced"/>) is marked (<see cref="Message.Marked"/>): only
    /// under Armv8's loads, as in-order loads read the newest write anyway.
    /// </summary>
    bool Marks(bool fenced) => fenced && _v.Loads == Loads.Armv8;

    void Spin(Outbox o, byte dst, int loc, WaitPredicate p, long operand, long mask, Pc next, bool again = false, bool marked = false)
    {
        WaitCondition.Send(o, dst, loc, p, operand, mask, NextBlock() >> 8, again, Marks(marked));
        _spinning = true;
        _spinAt = dst;
        _pc = next;
    }

    bool _spinning;

    /// <summary>
    /// The wait this thread is in, for the liveness verdicts: a CMD_SYNC wait, the suspend's drain, the
    /// full-queue wait (poll_until_not_full, retries included), or another spin (lock, owner_prod, valid map,
    /// register acknowledgement). A load or RMW in flight is no wait: memory always answers.
    /// </summary>
    public WaitKind Waiting =>
        _inFullWait ? WaitKind.QueueSpace
        : !_spinning ? WaitKind.None
        : _pc is Pc.SuspendFlushDone or Pc.SuspendDrainDone or Pc.SuspendQuiesced ? WaitKind.Drain
        : _pc == Pc.SyncDone ? (_after == Pc.SuspendDrainDone ? WaitKind.Drain : WaitKind.Sync)
        : WaitKind.Spin;

    /// <summary>True when delivering <paramref name="m"/> answers the spin this thread is blocked in.</summary>
    public bool Answers(in Message m) =>
        _spinning && _blocked && m.Dst == _self && m.Kind == MessageKind.WaitReply && WaitCondition.WaitId(m.C) == _blockId;

    /// <summary>True when the message is this thread's own pending timeout (a timeout ends a wait without completing it).</summary>
    public bool IsOwnTimeout(in Message m) => m.Dst == _self && m.Class is DelayClass.Timeout or DelayClass.Expired;

    /// <summary>A spin with the driver's timeout: whichever of the answer and the timer comes first wins.</summary>
    void TimedSpin(Outbox o, byte dst, int loc, WaitPredicate p, long operand, long mask, long timeout, Pc next, bool marked = false)
    {
        Spin(o, dst, loc, p, operand, mask, next, marked: marked);
        _timerIsTimeout = true;
        o.Send(_self, MessageKind.Timer, DelayClass.Timeout, Ordering.None, 0, 0, 0, _blockId << 8, timeout);
    }

    // ---- posted accesses: the thread goes on at once ----

    /// <summary>A store of the op at 1-based place <paramref name="op"/> (a held one's), or of the current op.</summary>
    void Store(Outbox o, int loc, long value, Ordering extra = Ordering.None, int? op = null) =>
        o.Send(Layout.MemoryActor, MessageKind.Store, DelayClass.Posted, Ordering.IsStore | extra, loc, value, releases: op is { } place ? _releasesBefore[place - 1] : Releases);

    void Posted(Outbox o, MessageKind kind, int loc, long value, Ordering extra = Ordering.None) =>
        o.Send(Layout.MemoryActor, kind, DelayClass.Posted, Ordering.IsStore | extra, loc, value, releases: Releases);

    /// <summary>writel_relaxed: no ordering against normal memory (§4.1); device writes of one CPU stay in order.</summary>
    void WriteRegister(Outbox o, SmmuRegister r, long value) =>
        o.Send(Layout.SmmuActor, MessageKind.MmioWrite, DelayClass.Posted, Ordering.IsStore, (int)r, value, releases: Releases);

    /// <summary>The store-release ops before the current op: what its stores and barriers carry (<see cref="Message.Releases"/>).</summary>
    ushort Releases => _releasesBefore[Math.Max(_op - 1, 0)];

    /// <summary>dma_wmb: the interconnect keeps every later store of this CPU behind every earlier one.</summary>
    void DmaWmb(Outbox o) => o.StoreFence();

    void Run(Outbox o)
    {
        while (!_blocked && !_awaitingLoads && _pc != Pc.Finished)
            Step(o);
    }

    void Step(Outbox o)
    {
        switch (_pc)
        {
            case Pc.NextOp: NextOp(o); break;
            case Pc.Resume: _pc = _after; break;
            case Pc.LitmusLoad:
                o.Emit(EventKind.Observed, _program[_op - 1].Var, _reply);
                _pc = Pc.NextOp;
                break;
            case Pc.UnmapElideCheck:
            case Pc.UnmapEarlyCheck:
            case Pc.UnmapEarlyReload:
            case Pc.UnmapSubmit:
            case Pc.UnmapDone:
                UnmapStep(o); break;
            case >= Pc.GateOutsideCheck and <= Pc.TryUnlock or Pc.SyncTimedOutCons: SubmitStep(o); break;
            case >= Pc.SuspendEntered and <= Pc.ResumeEnable or Pc.SuspendStopFenced or Pc.ResumeLoadProd: PowerStep(o); break;
            default: throw new InvalidOperationException($"thread {_index} at {_pc}");
        }
    }

    void NextOp(Outbox o)
    {
        ForgetLastOp();
        if (MustAwaitLoads(_op < _program.Length ? _program[_op] : null))
        {
            _awaitingLoads = true;
            return;
        }
        if (_op == _program.Length)
        {
            _pc = Pc.Finished;
            o.Emit(EventKind.ThreadDone, _index);
            if (_untimed) o.Retire(Layout.MemoryActor);
            return;
        }
        var op = _program[_op++];
        _pc = Pc.NextOp;
        switch (op.Kind)
        {
            case OpKind.Unmap: BeginUnmap(o, op.Iova); break;
            case OpKind.Map:
                // A new array, not a write in place: clones share it (Clone).
                _gen = ArrayCopy.Of(_gen);
                _gen[op.Iova]++;
                Store(o, _l.Pte(op.Iova), Pte.Valid(_gen[op.Iova]));
                if (_v.Walker == Walker.NonCoherent) Barrier(o, Pc.NextOp);
                break;
            case OpKind.Tlbi: BeginSubmit(CommandOp.TlbiVa, op.Iova, (uint)op.Count, op.Sync, Pc.NextOp); break;
            case OpKind.Sync: BeginSubmit(CommandOp.Sync, 0, 0, true, Pc.NextOp); break;
            case OpKind.Idle:
                NextBlock();
                o.Send(_self, MessageKind.Timer, DelayClass.Fixed, Ordering.None, 0, 0, 0, _blockId << 8, op.Ticks);
                break;
            case OpKind.Suspend: BeginSuspend(o); break;
            case OpKind.Resume: BeginResume(o); break;
            case OpKind.Store: StoreAfterLoads(o, _l.Var(op.Var), op.Value, release: false); break;
            case OpKind.StoreRelease: StoreAfterLoads(o, _l.Var(op.Var), op.Value, release: true); break;
            case OpKind.Load when LoadsDoNotHold: IssueLoad(o, _l.Var(op.Var)); break;
            case OpKind.Load: Load(o, _l.Var(op.Var), Pc.LitmusLoad); break;
            case OpKind.SmpMb:
            case OpKind.DmaMb: Barrier(o, Pc.NextOp); break;
            case OpKind.DmaWmb: DmaWmb(o); break;
            case OpKind.StoreSlot: WriteCommand(o, (uint)op.Count, CommandOp.CfgiAll, 0); break;
            case OpKind.WritelRelaxed: WriteRegister(o, (SmmuRegister)op.Var, op.Value); break;
            case OpKind.Writel:
                DmaWmb(o);
                WriteRegister(o, (SmmuRegister)op.Var, op.Value);
                break;
            default: throw new InvalidOperationException($"unknown op {op.Kind}");
        }
    }

    /// <summary>
    /// Between two ops every field of the last op's path is dead: each is written before it is read again. Clearing
    /// them lets the search merge states that differ only in how the last op went (its replies, retries, an elision).
    /// </summary>
    void ForgetLastOp()
    {
        _reply = 0;
        _timedOut = false;
        _spinAt = 0;
        _unmapIova = 0;
        _cmdOp = default;
        _cmdArg = 0;
        _n = 0;
        _sync = _bypassStop = _rechecked = _gateRead = _owner = _elided = false;
        _after = default;
        _llq = 0;
        _start = _end = _pollPos = _chunkEnd = _cons = 0;
        _target = 0;
        _disabled = _stopped = false;
    }

    // ---- unmap ----

    int _unmapIova;

    void BeginUnmap(Outbox o, int iova)
    {
        _unmapIova = iova;
        Store(o, _l.Pte(iova), Pte.Invalid(_gen[iova]));
        // A non-coherent walker needs the PTE line cleaned to memory, which ends in a full barrier (§6); since the
        // invalidation-array series the invalidation itself begins with smp_mb (§2.10).
        if (_v.Walker == Walker.NonCoherent || _v.InvBarrier == InvBarrier.SmpMb) Barrier(o, Pc.UnmapElideCheck);
        else _pc = Pc.UnmapElideCheck;
    }

    void UnmapStep(Outbox o)
    {
        switch (_pc)
        {
            case Pc.UnmapElideCheck:
                _rechecked = false;
                if (_v.EarlyElide == EarlyElide.Off) ToSubmit(o);
                else Load(o, Layout.Llq, Pc.UnmapEarlyCheck);
                break;
            case Pc.UnmapEarlyCheck:
                if (!ProdWord.IsStop((uint)_reply)) { ToSubmit(o); break; }
                if (_v.EarlyElide == EarlyElide.Mb && !_rechecked)
                {
                    _rechecked = true;
                    o.Branch(ProtocolBranch.Recheck);
                    Barrier(o, Pc.UnmapEarlyReload);
                    break;
                }
                o.Branch(ProtocolBranch.EarlyElide);
                o.Emit(EventKind.Elided, _unmapIova);
                _pc = Pc.UnmapDone;
                break;
            case Pc.UnmapEarlyReload:
                Load(o, Layout.Llq, Pc.UnmapEarlyCheck);
                break;
            case Pc.UnmapSubmit:
                BeginSubmit(CommandOp.TlbiVa, _unmapIova, 1, true, Pc.UnmapDone);
                break;
            case Pc.UnmapDone:
                o.Emit(EventKind.UnmapReturned, _unmapIova, _gen[_unmapIova]);
                _pc = Pc.NextOp;
                break;
        }
    }

    /// <summary>On to the submission, through the invalidation's smp_mb when it follows the early check (§2.10).</summary>
    void ToSubmit(Outbox o)
    {
        if (_v.InvBarrier == InvBarrier.SmpMbAfterEarlyCheck) Barrier(o, Pc.UnmapSubmit);
        else _pc = Pc.UnmapSubmit;
    }

    public void Hash(ref StateHasher h)
    {
        h.Add((long)_pc); h.Add(_op); h.Add(_blocked ? 1 : 0); h.Add(_blockId); h.Add(_spinAt); h.Add(_reply); h.Add(_timedOut ? 1 : 0);
        h.Add(_timerIsTimeout ? 1 : 0); h.Add(_cmdSeq); h.Add(_unmapIova); h.Add(_spinning ? 1 : 0); h.Add(_inFullWait ? 1 : 0);
        foreach (var g in _gen) h.Add(g);
        HashSubmit(ref h);
        HashPower(ref h);
        HashLoads(ref h);
    }

    /// <summary>A copy sharing the generations array, which is replaced, never written in place.</summary>
    public IComponent Clone() => new DriverThread(this);

    /// <summary>Every field of <paramref name="o"/>, in all three parts of the class (why not MemberwiseClone: <see cref="Sim.ArrayCopy"/>).</summary>
    DriverThread(DriverThread o)
    {
        _l = o._l; _v = o._v; _program = o._program; _releasesBefore = o._releasesBefore; _self = o._self; _index = o._index; _drainTimeout = o._drainTimeout; _untimed = o._untimed;
        _gen = o._gen; _pc = o._pc; _op = o._op; _blocked = o._blocked; _blockId = o._blockId; _spinAt = o._spinAt; _reply = o._reply;
        _timedOut = o._timedOut; _timerIsTimeout = o._timerIsTimeout; _cmdSeq = o._cmdSeq; _spinning = o._spinning; _unmapIova = o._unmapIova;
        _target = o._target; _disabled = o._disabled; _stopped = o._stopped; _resumeProd = o._resumeProd;
        _cmdOp = o._cmdOp; _cmdArg = o._cmdArg; _n = o._n; _sync = o._sync; _bypassStop = o._bypassStop; _after = o._after; _rechecked = o._rechecked;
        _llq = o._llq; _start = o._start; _end = o._end; _pollPos = o._pollPos; _chunkEnd = o._chunkEnd; _cons = o._cons; _owner = o._owner;
        _inFullWait = o._inFullWait; _gateRead = o._gateRead; _elided = o._elided;
        _loads = o._loads; _held = o._held; _awaitingLoads = o._awaitingLoads;
    }

    /// <summary>
    /// The most queue slots <paramref name="op"/> can reserve under <paramref name="v"/>: each BeginSubmit reserves its
    /// commands and CMD_SYNC at most once, and an elided one none (unmap: TLBI_VA + CMD_SYNC; suspend: the drain's
    /// CMD_SYNC; resume: CFGI_ALL and TLBI_ALL, each with its CMD_SYNC). QueueBoundTests holds it to what runs reserve.
    /// </summary>
    public static uint MaxSlots(Op op, Variant v) => op.Kind switch
    {
        OpKind.Unmap => 2,
        OpKind.Tlbi => (uint)op.Count + (op.Sync ? 1u : 0u),
        OpKind.Sync => 1,
        OpKind.Suspend => v.Drain == DrainMode.Sync ? 1u : 0u,
        OpKind.Resume => v.ResetInvalidate ? 4u : 0u,
        _ => 0,
    };
}
