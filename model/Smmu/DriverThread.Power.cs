using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>Runtime suspend (protocol.md §0.9, §3.2, §3.4) and resume (§0.10, §2.8) as v8 has them, with the §6 switches.</summary>
public sealed partial class DriverThread
{
    uint _target;
    bool _disabled, _stopped;
    uint _resumeProd;   // llq.prod as the reset read it, before its read of llq.cons

    /// <summary>GBPA.ABORT, used while SMMUEN=0 so nothing bypasses (§3.4).</summary>
    const long GbpaAbort = 1;

    void BeginSuspend(Outbox o)
    {
        _disabled = _stopped = false;
        EnterCallback(o, Pc.SuspendEntered);
    }

    /// <summary>
    /// The runtime-PM core runs each callback between taking and dropping dev->power.lock (protocol.md §3.7): the
    /// unlock after one callback (release) and the lock before the next (acquire) order every access of the one before
    /// every access of the other, whichever CPUs run them. On the one power-manager thread that is a full barrier.
    /// </summary>
    void EnterCallback(Outbox o, Pc next)
    {
        if (_v.PmCoreOrder == PmCoreOrder.Lock) Barrier(o, next);
        else _pc = next;
    }

    /// <summary>
    /// Whether this callback's last CR0ACK read is followed, before any load, by a full barrier: the next callback's
    /// (<see cref="EnterCallback"/>), a workload's smp_mb or dma_mb, or a map's under a non-coherent walker, with only a
    /// device write (the power-off) and idle ops between. The SMMU then tells memory when it answered that read
    /// (<see cref="Message.Marked"/>), the point the barrier orders later loads after.
    /// </summary>
    bool NextCallbackFenced
    {
        get
        {
            int next = _op;
            while (next < _program.Length && _program[next].Kind == OpKind.Idle) next++;
            return next < _program.Length && _program[next].Kind switch
            {
                OpKind.Suspend or OpKind.Resume => _v.PmCoreOrder == PmCoreOrder.Lock,
                OpKind.SmpMb or OpKind.DmaMb => true,
                OpKind.Map => _v.Walker == Walker.NonCoherent,
                _ => false,
            };
        }
    }

    /// <summary>Steps (a) and (b): SMMUEN=0 and STOP, in the order the variant says.</summary>
    void SuspendNextGate(Outbox o)
    {
        bool disableFirst = _v.SuspendOrder == SuspendOrder.DisableThenStop;
        if (!_disabled && (disableFirst || _stopped))
        {
            _disabled = true;
            WriteRegister(o, SmmuRegister.Gbpa, GbpaAbort);
            WriteRegister(o, SmmuRegister.Cr0, Cr0.CmdqEn); // write_reg_sync: relaxed write, then poll CR0ACK
            // Disabled first, a fully ordered STOP set follows, whose barrier before it orders the suspend's later loads
            // after this read (its own read is the newest write anyway), with nothing between but that RMW.
            Spin(o, Layout.SmmuActor, (int)SmmuRegister.Cr0Ack, WaitPredicate.MaskedEquals, Cr0.CmdqEn, -1, Pc.SuspendDisableDone,
                marked: disableFirst && _v.OrderedStopSet);
            return;
        }
        if (!_stopped)
        {
            _stopped = true;
            // v8: atomic_fetch_or_relaxed(STOP); the review asked for the fully ordered form (the barrier before it here,
            // the one after in PowerStep).
            Rmw(o, MessageKind.FetchOr, Layout.Llq, ProdWord.Stop, 0, Pc.SuspendStopDone,
                _v.OrderedStopSet ? Ordering.AfterStores : Ordering.None);
            return;
        }
        // (c) command flush: in-flight owners publish up to the target.
        TimedSpin(o, Layout.MemoryActor, Layout.OwnerProd, _v.FlushCompare == FlushCompare.Reached ? WaitPredicate.Reached : WaitPredicate.MaskedEquals,
            _target, _l.Q.IdxWrpMask, _drainTimeout, Pc.SuspendFlushDone);
    }

    void BeginResume(Outbox o) => EnterCallback(o, Pc.ResumePowerOn);

    /// <summary>(e) The software quiesce: spin until the lock is 0, no CMD_SYNC waiter or full-queue refresher left.</summary>
    void Quiesce(Outbox o) =>
        TimedSpin(o, Layout.MemoryActor, Layout.Lock, WaitPredicate.MaskedEquals, 0, 0xFFFFFFFFL, _drainTimeout, Pc.SuspendQuiesced);

    void PowerStep(Outbox o)
    {
        var q = _l.Q;
        switch (_pc)
        {
            case Pc.SuspendEntered or Pc.SuspendDisableDone:
                SuspendNextGate(o);
                break;
            case Pc.SuspendStopDone:
                _target = (uint)_reply & q.IdxWrpMask; // flags masked (§3.4)
                // A fully ordered RMW is a full barrier on each side (the kernel's atomic_t.txt): the half after it orders
                // the suspend's later reads after the STOP write.
                if (_v.OrderedStopSet) Barrier(o, Pc.SuspendStopFenced);
                else SuspendNextGate(o);
                break;
            case Pc.SuspendStopFenced:
                SuspendNextGate(o);
                break;
            case Pc.SuspendFlushDone:
                if (_timedOut) o.Emit(EventKind.DrainTimeout, 1);
                if (_v.Drain == DrainMode.ConsPoll)
                    // (d) HW drain: poll CONS until it reaches the target.
                    TimedSpin(o, Layout.SmmuActor, (int)SmmuRegister.Cons, WaitPredicate.MaskedEquals, _target, q.IdxWrpMask, _drainTimeout, Pc.SuspendDrainDone,
                        _v.QuiesceOrder == QuiesceOrder.SmpMb);
                else
                {
                    // Drain by CMD_SYNC (§3.6, §5.5): its completion proves every earlier command completed.
                    // The suspend path is the one submitter allowed past the STOP gate.
                    _timedOut = false;
                    BeginSubmit(CommandOp.Sync, 0, 0, true, Pc.SuspendDrainDone, bypassStop: true);
                }
                break;
            case Pc.SuspendDrainDone:
                if (_timedOut && _v.Drain == DrainMode.ConsPoll) o.Emit(EventKind.DrainTimeout, 2);
                // (e) SW quiesce: every lock holder gone. Relaxed, the lock read is ordered after nothing the drain saw
                // (a CMD_SYNC waiter's increment came before its release of owner_prod: MP, Allowed without a barrier).
                // Ordered, the drain's CONS poll before the smp_mb is marked (Message.Marked): the lock read follows
                // the SMMU's answer to it.
                if (_v.QuiesceOrder == QuiesceOrder.SmpMb) Barrier(o, Pc.SuspendQuiesceFenced);
                else Quiesce(o);
                break;
            case Pc.SuspendQuiesceFenced:
                Quiesce(o);
                break;
            case Pc.SuspendQuiesced:
                if (_timedOut) o.Emit(EventKind.DrainTimeout, 3);
                // Write hardware CONS back into llq.cons (§5.5) only once the last sync waiter, which publishes
                // its own cons on the way out (§0.7), has left; earlier, that waiter could overwrite it with an older value.
                if (_v.ConsWriteback) ReadRegister(o, SmmuRegister.Cons, Pc.SuspendWriteback);
                else _pc = Pc.SuspendWriteback;
                break;
            case Pc.SuspendWriteback:
                if (_v.ConsWriteback) Posted(o, MessageKind.StoreCons, Layout.Llq, (uint)_reply);
                WriteRegister(o, SmmuRegister.Cr0, 0); // CMDQEN=0
                Spin(o, Layout.SmmuActor, (int)SmmuRegister.Cr0Ack, WaitPredicate.MaskedEquals, 0, -1, Pc.SuspendPowerOff, marked: NextCallbackFenced);
                break;
            case Pc.SuspendPowerOff:
                WriteRegister(o, SmmuRegister.Power, 0);
                o.Branch(ProtocolBranch.DrainFinished);
                _pc = Pc.NextOp;
                break;

            case Pc.ResumePowerOn:
                // Power the domain and restore MSI registers (no modelled state), then arm_smmu_device_reset.
                WriteRegister(o, SmmuRegister.Power, 1);
                WriteRegister(o, SmmuRegister.Cr0, 0);
                Spin(o, Layout.SmmuActor, (int)SmmuRegister.Cr0Ack, WaitPredicate.MaskedEquals, 0, -1, Pc.ResumeReset);
                break;
            case Pc.ResumeReset:
                // writel_relaxed(llq.prod, PROD) then writel_relaxed(llq.cons, CONS): two 32-bit reads of the llq word, so
                // a write between them (a late WRITE_ONCE(llq.cons), a reservation past a gate) gives a torn pair; and of
                // different bytes, so nothing orders them (Armv8): the cons read may take an older write than the prod read.
                // Only Armv8's memory reads the mark; in-order loads read the newest write anyway, and leave it out of their traces.
                Load(o, Layout.Llq, Pc.ResumeLoadProd, _v.Loads == Loads.Armv8 ? MemoryComponent.OtherHalfNext : 0);
                break;
            case Pc.ResumeLoadProd:
                _resumeProd = ProdOf(_reply);
                Load(o, Layout.Llq, Pc.ResumeLoadLlq);
                break;
            case Pc.ResumeLoadLlq:
                // CMDQ_PROD := llq.prod, CMDQ_CONS := llq.cons, the software copies (§2.8 step 5).
                uint prod = _resumeProd;
                WriteRegister(o, SmmuRegister.Prod, _v.MaskFlags ? prod & q.IdxWrpMask : prod);
                WriteRegister(o, SmmuRegister.Cons, ConsOf(_reply));
                WriteRegister(o, SmmuRegister.Cr0, Cr0.CmdqEn);
                // With no invalidation on the way, only STOP's posted clearing comes between this read and the resume's barrier.
                Spin(o, Layout.SmmuActor, (int)SmmuRegister.Cr0Ack, WaitPredicate.MaskedEquals, Cr0.CmdqEn, -1, Pc.ResumeEnableCmdq,
                    marked: !_v.ResetInvalidate && _v.ResumeBarrier != ResumeBarrier.None);
                break;
            case Pc.ResumeEnableCmdq:
                // STOP is cleared only after the CMDQ is enabled in hardware (§3.4), with a relaxed and-not. v8's resume
                // cleared it in owner_prod too; the author dropped that as redundant under CMDQ_PROD_IDX_MASK, which keeps
                // STOP out of owner_prod, so only without the mask is it made.
                Posted(o, MessageKind.AndNot, Layout.Llq, ProdWord.Stop);
                if (!_v.MaskFlags) Posted(o, MessageKind.AndNot, Layout.OwnerProd, ProdWord.Stop);
                if (_v.ResetInvalidate)
                {
                    o.Branch(ProtocolBranch.ResumeInvalidation);
                    BeginSubmit(CommandOp.CfgiAll, 0, 1, true, Pc.ResumeTlbi);
                }
                else _pc = Pc.ResumeBarrier;
                break;
            case Pc.ResumeTlbi:
                BeginSubmit(CommandOp.TlbiAll, 0, 1, true, Pc.ResumeBarrier);
                break;
            case Pc.ResumeBarrier:
                if (_v.ResumeBarrier == ResumeBarrier.None) _pc = Pc.ResumeEnable;
                else Barrier(o, Pc.ResumeEnable); // smp_mb (dmb ish) or dma_mb (dmb osh): a full barrier on this CPU
                break;
            case Pc.ResumeEnable:
                WriteRegister(o, SmmuRegister.Cr0, Cr0.CmdqEn | Cr0.SmmuEn);
                Spin(o, Layout.SmmuActor, (int)SmmuRegister.Cr0Ack, WaitPredicate.MaskedEquals, Cr0.CmdqEn | Cr0.SmmuEn, -1, Pc.NextOp, marked: NextCallbackFenced);
                break;
        }
    }

    void HashPower(ref StateHasher h)
    {
        h.Add(_target); h.Add(_disabled ? 1 : 0); h.Add(_stopped ? 1 : 0); h.Add(_resumeProd);
    }
}
