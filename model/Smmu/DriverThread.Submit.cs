using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>arm_smmu_cmdq_issue_cmdlist at atomic granularity (protocol.md §2.3), with the STOP gate of §3.3.</summary>
public sealed partial class DriverThread
{
    CommandOp _cmdOp;
    int _cmdArg;
    uint _n;
    bool _sync;
    bool _bypassStop;
    Pc _after;
    bool _rechecked;
    long _llq;
    uint _start, _end, _pollPos, _chunkEnd, _cons;
    bool _owner;
    bool _inFullWait;   // in poll_until_not_full, from the failed space check until the queue has room

    static uint ProdOf(long llq) => (uint)llq;
    static uint ConsOf(long llq) => (uint)(llq >> 32);

    /// <summary>Owner_prod and PROD carry only IDX|WRP under v8's CMDQ_PROD_IDX_MASK (§3.4); else only OWNED is stripped.</summary>
    uint PublishMask => _v.MaskFlags ? _l.Q.IdxWrpMask : ~ProdWord.Owned;

    void BeginSubmit(CommandOp op, int arg, uint n, bool sync, Pc after, bool bypassStop = false)
    {
        _cmdOp = op;
        _cmdArg = arg;
        _n = n;
        _sync = sync;
        _after = after;
        _bypassStop = bypassStop;
        _rechecked = false;
        _pc = _v.StopGate == StopGate.Outside && !bypassStop ? Pc.GateOutsideCheck : Pc.Loop;
        _gateRead = false;
    }

    bool _gateRead;

    void SubmitStep(Outbox o)
    {
        var q = _l.Q;
        switch (_pc)
        {
            case Pc.GateOutsideCheck:
                // A separate READ_ONCE of prod before the reservation loop (§6, "STOP checked outside the CAS").
                if (!_gateRead) { _gateRead = true; Load(o, Layout.Llq, Pc.GateOutsideCheck); break; }
                if (ProdWord.IsStop(ProdOf(_reply))) { _llq = _reply; ElideOrRecheck(o); break; }
                _pc = Pc.Loop;
                break;
            case Pc.Loop:
                Load(o, Layout.Llq, Pc.Snapshot);
                break;
            case Pc.Snapshot:
                _llq = _reply;
                _pc = Pc.LoopTop;
                break;
            case Pc.LoopTop:
                // The gate sits at the top of each CAS-loop iteration, before the space check (§3.3).
                if (_v.StopGate == StopGate.Cas && !_bypassStop && ProdWord.IsStop(ProdOf(_llq))) { ElideOrRecheck(o); break; }
                _pc = Pc.HasSpace;
                break;
            case Pc.RecheckLoad:
                Load(o, Layout.Llq, Pc.RecheckDone);
                break;
            case Pc.RecheckDone:
                _llq = _reply;
                if (ProdWord.IsStop(ProdOf(_llq))) Elide(o);
                else _pc = Pc.LoopTop;
                break;
            case Pc.HasSpace:
                _inFullWait = !q.HasSpace(ProdOf(_llq), ConsOf(_llq), _n + (_sync ? 1u : 0u));
                if (_inFullWait)
                {
                    // poll_until_not_full (§2.6): one exclusive holder refreshes cons from the register, others spin on llq.
                    o.Branch(ProtocolBranch.FullQueueWait);
                    Rmw(o, MessageKind.Cas, Layout.Lock, 0, int.MinValue, Pc.TryLockDone);
                    break;
                }
                uint head = q.IncProdN(ProdOf(_llq), _n + (_sync ? 1u : 0u), _v.IncKeepsStop) | ProdWord.Owned;
                long headVal = ((long)ConsOf(_llq) << 32) | head;
                Rmw(o, MessageKind.Cas, Layout.Llq, _llq, headVal, Pc.CasDone);
                break;
            case Pc.TryLockDone:
                if ((int)_reply == 0)
                {
                    o.Branch(ProtocolBranch.ExclusiveRefresh);
                    ReadRegister(o, SmmuRegister.Cons, Pc.RefreshCons); // readl_relaxed
                }
                else
                    // Spin on llq until not full, for ARM_SMMU_POLL_TIMEOUT_US (1 s); on timeout the driver logs
                    // "CMDQ timeout" and its has_space loop tries the exclusive refresh again (§2.3 step 1).
                    TimedSpin(o, Layout.MemoryActor, Layout.Llq, WaitPredicate.NotFull, 0, 0, SyncTimeoutTicks, Pc.FullWaitDone);
                break;
            case Pc.RefreshCons:
                Posted(o, MessageKind.StoreCons, Layout.Llq, (uint)_reply);
                // Exclusive unlock since 2026: fetch_andnot_release(INT_MIN), keeping waiting sharers (§2.6).
                Posted(o, MessageKind.AndNot, Layout.Lock, unchecked((uint)int.MinValue), Released(_v.ExclusiveUnlock));
                Load(o, Layout.Llq, Pc.FullWaitDone);
                break;
            case Pc.FullWaitDone:
                if (_timedOut)
                {
                    // poll_until_not_full returns with the llq it last read, which was full, or the spin would have
                    // ended; the caller's while (!has_space) loop calls it again, exclusive trylock first (§2.3 step 1,
                    // §2.6). The snapshot that sent the CPU here is full as well, so the space check sends it back there.
                    o.Branch(ProtocolBranch.FullQueueTimeout);
                    _pc = Pc.HasSpace;
                    break;
                }
                _llq = _reply;
                // The driver's while(!has_space) loop re-checks space, not STOP, unless the variant adds a check (§6).
                _pc = _v.StopCheckAfterFullWait ? Pc.LoopTop : Pc.HasSpace;
                break;
            case Pc.CasDone:
                if (_reply != _llq)
                {
                    // A failed CAS hands back the observed word; loop and re-check STOP (§0.3).
                    o.Branch(ProtocolBranch.ReserveRetry);
                    _llq = _reply;
                    _pc = Pc.LoopTop;
                    break;
                }
                Committed(o);
                break;
            case Pc.SharedLockDone:
                if ((int)_reply >= 0) { _pc = Pc.Valid; break; }
                // Since df180b1a4cc5 a sharer that met an exclusive holder keeps its count and spins until > 0.
                o.Branch(ProtocolBranch.SharedLockWait);
                Spin(o, Layout.MemoryActor, Layout.Lock, WaitPredicate.Positive, 0, 0, Pc.Valid);
                break;
            case Pc.Valid:
                SetValid(o);
                break;
            case Pc.OwnerClaim:
                Rmw(o, MessageKind.FetchAndNot, Layout.Llq, ProdWord.Owned, 0, Pc.OwnerClaimed);
                break;
            case Pc.OwnerClaimed:
                // The old prod, OWNED stripped, is the end of the batch: every reserver since joined it (§0.6).
                _end = (uint)_reply & ~ProdWord.Owned & PublishMask;
                _pollPos = _start;
                _pc = Pc.PollValid;
                break;
            case Pc.PollValid:
                PollValid(o);
                break;
            case Pc.PollValidNext:
                _pollPos = _chunkEnd;
                _pc = Pc.PollValid;
                break;
            case Pc.SyncCheck:
                SyncWait(o);
                break;
            case Pc.SyncDone:
                uint syncProd = q.IncProdN(_start, _n, _v.IncKeepsStop);
                if (_timedOut)
                {
                    // The suspend's drain by CMD_SYNC times out as a drain, the kind the search gives that wait (Waiting).
                    if (_after == Pc.SuspendDrainDone) o.Emit(EventKind.DrainTimeout, 4, syncProd & q.IdxWrpMask);
                    else o.Emit(EventKind.SyncTimeout, syncProd & q.IdxWrpMask);
                    // __arm_smmu_cmdq_poll_until_msi gives up with llq->cons = llq->prod, the CMD_SYNC's index;
                    // __arm_smmu_cmdq_poll_until_consumed with the last CONS it read, which its loop reads after every
                    // queue_poll, the one that saw the time run out too: the register's value when the wait gave up (§0.7).
                    if (_v.SyncMode == SyncMode.Cons)
                    {
                        ReadRegister(o, SmmuRegister.Cons, Pc.SyncTimedOutCons, ConsReadMarked);
                        break;
                    }
                    _cons = syncProd;
                }
                else _cons = _v.SyncMode == SyncMode.Msi ? q.IncProdN(syncProd, 1, false) : (uint)_reply;
                LeaveSync(o);
                break;
            case Pc.SyncTimedOutCons:
                _cons = (uint)_reply;
                LeaveSync(o);
                break;
            case Pc.SyncFenced:
                Load(o, Layout.Lock, Pc.TryUnlock);
                break;
            case Pc.TryUnlock:
                // Last waiter out (lock == 1) publishes its cons into llq.cons before unlocking (§0.7).
                if ((int)_reply == 1) Posted(o, MessageKind.StoreCons, Layout.Llq, _cons & q.IdxWrpMask);
                Posted(o, MessageKind.Add, Layout.Lock, -1, Released(_v.SharedUnlock)); // dec_return_release
                _pc = Pc.Resume;
                _elided = false;
                break;
        }
    }

    bool _elided;

    /// <summary>A store-release waits for every earlier store of the CPU (its loads are already answered: the driver blocks on each).</summary>
    static Ordering Released(StoreOrder order) => order == StoreOrder.Release ? Ordering.AfterStores : Ordering.None;

    void ElideOrRecheck(Outbox o)
    {
        if (_v.ElideRecheck != ElideRecheck.None && !_rechecked)
        {
            // The reviewer's proposal (§0.12): dma_mb, read prod again, elide only if STOP is still set.
            _rechecked = true;
            o.Branch(ProtocolBranch.Recheck);
            if (_v.ElideRecheck == ElideRecheck.DmaMb) Barrier(o, Pc.RecheckLoad);
            else _pc = Pc.RecheckLoad;
            return;
        }
        Elide(o);
    }

    void Elide(Outbox o)
    {
        _inFullWait = false;
        o.Branch(ProtocolBranch.Elide);
        o.Emit(EventKind.Elided, _cmdOp == CommandOp.TlbiVa ? _cmdArg : -1);
        _elided = true;
        _pc = Pc.Resume;
    }

    void Committed(Outbox o)
    {
        var q = _l.Q;
        uint prod = ProdOf(_llq);
        _owner = !ProdWord.IsOwned(prod);
        _start = prod & ~ProdWord.Owned;
        uint total = _n + (_sync ? 1u : 0u);
        uint end = q.IncProdN(_start, total, _v.IncKeepsStop);
        o.Branch(_owner ? ProtocolBranch.Owner : ProtocolBranch.NonOwner);
        if (q.Wrp(end) != q.Wrp(_start)) o.Branch(ProtocolBranch.QueueWrap);
        o.Emit(EventKind.Committed, _start & q.IdxWrpMask, end & q.IdxWrpMask, _owner ? 1 : 0);

        // Plain stores of the commands, then the CMD_SYNC (§2.3 step 2).
        for (uint i = 0; i < _n; i++)
            WriteCommand(o, q.IncProdN(_start, i, false), _cmdOp, _cmdArg);
        if (_sync)
        {
            WriteCommand(o, q.IncProdN(_start, _n, false), CommandOp.Sync, _v.SyncMode == SyncMode.Msi ? 1 : 0);
            // The shared lock is taken before the valid bits so the queue cannot wrap twice unnoticed.
            Rmw(o, MessageKind.FetchAdd, Layout.Lock, 1, 0, Pc.SharedLockDone);
            return;
        }
        _pc = Pc.Valid;
    }

    void WriteCommand(Outbox o, uint prod, CommandOp op, int arg)
    {
        int id = CmdqEntry.MakeId(_index, ++_cmdSeq);
        Store(o, _l.Slot(prod), CmdqEntry.Encode(op, arg, id));
        o.Emit(EventKind.SlotWritten, prod & _l.Q.IdxWrpMask, id);
    }

    /// <summary>dma_wmb, then flip the batch's valid bits word by word (§2.3 step 3, §2.4).</summary>
    void SetValid(Outbox o)
    {
        var q = _l.Q;
        uint total = _n + (_sync ? 1u : 0u);
        uint end = q.IncProdN(_start, total, false);
        if (_v.ValidBarrier == ValidBarrier.DmaWmb) DmaWmb(o);
        long mask = 0;
        int word = -1;
        for (uint i = 0; i < total; i++)
        {
            int idx = (int)q.Idx(_start + i);
            if (idx / 64 != word)
            {
                if (mask != 0) Posted(o, MessageKind.Xor, Layout.ValidMapBase + word, mask);
                word = idx / 64;
                mask = 0;
            }
            mask |= 1L << (idx % 64);
        }
        if (mask != 0) Posted(o, MessageKind.Xor, Layout.ValidMapBase + word, mask);
        o.Emit(EventKind.ValidSet, _start & q.IdxWrpMask, end & q.IdxWrpMask);

        if (_owner)
        {
            // Wait for the previous owner to publish (§2.3 step 4a). Compared as whole words, a start that carries STOP
            // never meets an owner_prod whose flags were masked off (§3.4).
            uint compared = _v.OwnerProdCompare == OwnerProdCompare.Word ? uint.MaxValue : PublishMask;
            Spin(o, Layout.MemoryActor, Layout.OwnerProd, WaitPredicate.MaskedEquals, _start & compared, compared, Pc.OwnerClaim);
        }
        else _pc = Pc.SyncCheck;
    }

    /// <summary>
    /// Owner step 4c: spin until every valid bit in [start, end) shows the current lap, one word
    /// (or one lap of a word) at a time; then 4d/4e: PROD doorbell and owner_prod release.
    /// </summary>
    void PollValid(Outbox o)
    {
        var q = _l.Q;
        uint pos = _pollPos & q.IdxWrpMask, end = _end & q.IdxWrpMask;
        if (pos == end)
        {
            WriteRegister(o, SmmuRegister.Prod, _end);
            Store(o, Layout.OwnerProd, _end, Released(_v.OwnerProdStore)); // atomic_set_release
            _pc = Pc.SyncCheck;
            return;
        }
        uint idx = q.Idx(pos);
        uint wordEndIdx = Math.Min((idx / 64 + 1) * 64, q.Entries);
        uint count = Math.Min(wordEndIdx - idx, q.Distance(pos, end));
        long mask = 0;
        for (uint i = 0; i < count; i++) mask |= 1L << (int)((idx + i) % 64);
        long expected = q.Wrp(pos) == 0 ? mask : 0; // valid == NOT WRP of the slot's lap
        _chunkEnd = q.IncProdN(pos, count, false);
        // A batch that wraps within one word is polled there twice: the first spin says so (WaitCondition.SpinsAgain).
        bool again = count < q.Distance(pos, end) && q.Idx(_chunkEnd) / 64 == idx / 64;
        Spin(o, Layout.MemoryActor, Layout.ValidMapBase + (int)(idx / 64), WaitPredicate.MaskedEquals, expected, mask, Pc.PollValidNext, again);
    }

    /// <summary>After a CMD_SYNC's wait: the shared tryunlock, behind the last CONS read's dma_rmb when that read is a readl.</summary>
    void LeaveSync(Outbox o)
    {
        // __arm_smmu_cmdq_poll_until_consumed's last CONS read is a readl: its dma_rmb keeps the tryunlock's
        // lock read behind it, "so that a failing tryunlock means we're the last one out" (§4.2).
        if (_v.SyncMode == SyncMode.Cons && _v.ConsRead == ConsRead.Readl) ReadFence(o, Pc.SyncFenced);
        else Load(o, Layout.Lock, Pc.TryUnlock); // shared_tryunlock reads the lock first
    }

    void SyncWait(Outbox o)
    {
        if (!_sync)
        {
            _elided = false;
            _pc = Pc.Resume;
            return;
        }
        var q = _l.Q;
        uint syncProd = q.IncProdN(_start, _n, false);
        if (_v.SyncMode == SyncMode.Msi)
            // MSI polling: the SMMU clears the first word of the CMD_SYNC's own slot (§2.5).
            TimedSpin(o, Layout.MemoryActor, _l.Slot(syncProd), WaitPredicate.MaskedEquals, 0, 0xFFFFFFFFL, SyncTimeoutTicks, Pc.SyncDone);
        else
            TimedSpin(o, Layout.SmmuActor, (int)SmmuRegister.Cons, WaitPredicate.Consumed, syncProd & q.IdxWrpMask, 0, SyncTimeoutTicks, Pc.SyncDone,
                ConsReadMarked);
    }

    /// <summary>
    /// The CMD_SYNC wait's CONS reads are readl, whose dma_rmb (<see cref="LeaveSync"/>) orders the lock read after the
    /// moment the SMMU answered: the SMMU tells memory that moment (<see cref="Message.Marked"/>).
    /// </summary>
    bool ConsReadMarked => _v.SyncMode == SyncMode.Cons && _v.ConsRead == ConsRead.Readl;

    void HashSubmit(ref StateHasher h)
    {
        h.Add((long)_cmdOp); h.Add(_cmdArg); h.Add(_n); h.Add(_sync ? 1 : 0); h.Add(_bypassStop ? 1 : 0); h.Add((long)_after);
        h.Add(_rechecked ? 1 : 0); h.Add(_llq); h.Add(_start); h.Add(_end); h.Add(_pollPos); h.Add(_chunkEnd); h.Add(_cons);
        h.Add(_owner ? 1 : 0); h.Add(_gateRead ? 1 : 0); h.Add(_elided ? 1 : 0);
    }
}
