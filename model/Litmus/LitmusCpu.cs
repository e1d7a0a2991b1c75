using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Litmus;

/// <summary>
/// One litmus thread on an Armv8 core (docs/model.md, "Memory model"). Instructions issue in program order
/// but loads do not stall it: a load's register stays pending until its reply, and only an instruction that
/// needs the value waits (an address, a stored value, a branch condition: Arm's address, data and control
/// dependencies). Stores are posted. So a later load or store may be performed before an earlier load (load
/// buffering) and before an earlier store. What orders them is what orders them on Arm: the interconnect's rules
/// (<see cref="OrderingRules"/>: coherence, DMB ST, release), this thread waiting (DMB, acquire, release wait for
/// earlier loads; a store waits for the loads its address and data come from; nothing issues past an unresolved
/// branch, so control dependencies order later stores), and each load's floor (<see cref="WriteHistory"/>): the
/// stamp the accesses it must follow were performed by — barriers, acquires, its address, and ISB after a
/// branch or address — below which it may not read. A load past a branch may still read an old value: that is
/// Arm's speculation of loads past a control dependency. A store or an atomic that waits for a value, or a release
/// that waits for earlier accesses, is held back with its operands as they were at its place (<see cref="Deferred"/>)
/// while the instructions after it go on, since Arm orders neither a later store nor a later load after it; what
/// does order them (the same location, a barrier, an acquire after a release) stops them, but a plain load of the same
/// location, held back behind them in turn (<see cref="DeferLoad"/>). Load and store exclusives: <see cref="StoreExclusive"/>; an atomic whose write waits (for an operand, or
/// as a release) reads at once and writes later: <see cref="ReadForUpdate"/>, as does one whose read or write a read of
/// the thread's own write may take by forwarding, and one whose returned value the thread must wait for: an acquire's, one before a
/// DMB LD, one a later instruction reads (<see cref="Splits"/>), so it waits for the read, not the write.
/// </summary>
public sealed class LitmusCpu : IComponent
{
    public const int Registers = 32;
    const int Zr = 31;

    [NotState("configuration, fixed at construction")]
    readonly LitmusThread _thread;
    [NotState("configuration, fixed at construction")]
    readonly string _file;
    [NotState("configuration, fixed at construction")]
    readonly byte _self;
    [NotState("configuration, fixed at construction")]
    readonly LitmusLayout _layout;
    [NotState("configuration, fixed at construction")]
    readonly ulong[] _live;
    [NotState("configuration, fixed at construction")]
    readonly bool[] _splits;
    [NotState("configuration, fixed at construction")]
    readonly bool[] _used;

    int _pc;
    bool _started;
    RegisterValue[] _regs;
    RegisterValue _flags = RegisterValue.Zero; // NZCV; never read before it is set (LitmusLimits)
    long _floor;      // no later load reads below this (DMB, acquire, ISB)
    long _ctrl;       // views of branch conditions and addresses so far: what ISB makes a floor
    long _loadsDone;  // the latest stamp a replied load counts as performed at
    ulong _tags;      // the tags in use, bit t - 1 for tag t: each names a reply still to come, and is free again once it came
    int _outstanding; // loads and RMWs not yet replied
    int _reading;     // those of them whose value goes to a register: what DMB LD waits for
    int _atomics;     // those of them that are RMWs: writes DSB ST waits for
    int _acquire = -1;
    bool _barrier;
    bool _yielded;    // took a branch back and waits for its Resume
    int _stores;
    int _releases;    // store-releases reached in program order: what stores and barriers carry (Message.Releases)
    int[] _lastOwn;   // per location: the count of this thread's latest store there, which a load may forward (0: none, or an atomic not split)
    long[] _lastValue, _lastView;
    long[] _lastRmwRead;   // per location: if that store is a store-exclusive's or an atomic's, the stamp its read was performed at (else 0)
    long[] _lastCtrl;      // per location: what only chose that store's value (Pending.Ctrl), which a later load of it carries
    Reservation _reservation = Reservation.None;
    Deferred[] _deferred = [];   // oldest first; replaced, never changed in place, so clones share it

    /// <summary>A CAS this thread went ahead of on the guess that it fails without a write succeeds: no such execution.</summary>
    public bool Infeasible => _infeasible;

    [NotState("true only in a state the explorer drops at once")]
    bool _infeasible;

    /// <summary>
    /// A store (STR waiting for its data, STLR waiting for earlier accesses) or an atomic waiting for a value operand
    /// or, as a release, for earlier accesses, held back while later instructions issue: its location and operands as
    /// at its place in program order, so later writes to its registers do not change it. <paramref name="S"/> is the
    /// stored value or the atomic's Rs, <paramref name="T"/> a CAS's Rt. A store-exclusive is held back from its place
    /// until it knows whether it writes (<paramref name="Outcome"/>: the tag of its outcome, 0 once it writes) and which
    /// write its load-exclusive read (<paramref name="Pair"/>). An atomic split by <see cref="ReadForUpdate"/> has read
    /// already: <paramref name="Old"/> is the value it read, <paramref name="Pair"/> names its read's tag, then the write read.
    /// <paramref name="Before"/>: for a release, the tags of the loads and atomics in flight at its place, which it goes after
    /// (bit t - 1 for tag t, cleared as each reply comes; loads issued after it are not among them).
    /// <paramref name="Load"/>: a plain load held behind a write to its location (<see cref="DeferLoad"/>), the tag its reply
    /// will carry; <paramref name="AddrView"/> is then its floor; <paramref name="Choice"/>, the tag of its two ways while
    /// neither is taken, and <paramref name="Forwards"/>, that it takes the store before it by forwarding.
    /// <paramref name="Releases"/>: the store-releases before its place, which its write carries when it goes
    /// (<see cref="Message.Releases"/>), so that a release does not go behind later stores sent while it was held.
    /// For a split release CAS whose outcome the thread would wait for (<see cref="WaitsFor"/>), <paramref name="Choice"/>
    /// is the tag of its two ways while neither is taken, and <paramref name="Fails"/> the way taken: true, the thread went
    /// ahead and the CAS must fail without a write; false, the thread waits for it.
    /// </summary>
    readonly record struct Deferred(int Pc, int Loc, long AddrView, RegisterValue S, RegisterValue? T, Reservation? Pair = null, int Outcome = 0,
        RegisterValue? Old = null, ulong Before = 0, int Load = 0, int Choice = 0, bool Forwards = false, int Releases = 0, bool? Fails = null)
    {
        /// <summary>An atomic whose read went ahead of its write (<see cref="ReadForUpdate"/>).</summary>
        public bool Split => Old is not null;
    }

    public LitmusCpu(LitmusThread thread, string file, byte self, LitmusLayout layout)
    {
        _thread = thread;
        _file = file;
        _self = self;
        _layout = layout;
        _live = RegisterLiveness.LiveBefore(thread.Code);
        _splits = Splits(thread.Code);
        _used = ReturnUsed(thread.Code);
        int locations = layout.Cells.Count;
        _regs = new RegisterValue[Registers];
        for (int r = 0; r < Registers; r++)
            _regs[r] = thread.InitialRegisters.TryGetValue(r, out long v) && r != Zr ? new RegisterValue.Known(v, 0) : RegisterValue.Zero;
        _lastOwn = new int[locations];
        _lastValue = new long[locations];
        _lastView = new long[locations];
        _lastRmwRead = new long[locations];
        _lastCtrl = new long[locations];
    }

    public bool Finished => _started && _pc >= _thread.Code.Count && _outstanding == 0 && !_barrier && _deferred.Length == 0;

    /// <summary>The final registers; only meaningful once <see cref="Finished"/>.</summary>
    public long[] FinalRegisters() => _regs.Select(r => r is RegisterValue.Known k ? k.Value : throw new InvalidOperationException("a register is still pending")).ToArray();

    public void Handle(in Message m, Outbox o)
    {
        switch (m.Kind)
        {
            case MessageKind.Start: _started = true; break;
            case MessageKind.Resume: _yielded = false; break;
            case MessageKind.LoadReply or MessageKind.RmwReply:
                int tag = (int)m.C;
                _outstanding--;
                FreeTag(Math.Abs(tag));
                if (m.Kind == MessageKind.RmwReply) _atomics--;
                if (tag < 0)
                {
                    // An atomic without a destination: no register, and no read DMB LD orders; split, its write waits for this read.
                    if (m.Kind == MessageKind.LoadReply)
                    {
                        Resolve(-tag, m.A, m.View);
                        Reserved(-tag, m.B, m.View);
                    }
                    break;
                }
                Resolve(tag, m.A, m.View);
                if (m.Kind == MessageKind.LoadReply) Reserved(tag, m.B, m.View);
                _reading--;
                _loadsDone = Math.Max(_loadsDone, m.View);
                if (_acquire == tag) { _acquire = -1; _floor = Math.Max(_floor, m.View); }
                break;
            case MessageKind.ExclusiveOutcome:
                FreeTag((int)m.C);
                Decided((int)m.C, m.A == 0, m.View);
                break;
            case MessageKind.CasSource:
                FreeTag((int)m.C);
                Resolve((int)m.C, m.A, 0);
                break;
            case MessageKind.ForwardChoice or MessageKind.CasFails:
                // A held-back load's way (A = 1: it forwards) or an acquire's past a held-back CAS (A = 1: the CAS fails without a write).
                int way = (int)m.C;
                bool taken = m.A == 1, load = m.Kind == MessageKind.ForwardChoice;
                FreeTag(way);
                _deferred = Array.ConvertAll(_deferred, d => d.Choice != way ? d : load ? d with { Choice = 0, Forwards = taken } : d with { Choice = 0, Fails = taken });
                break;
            case MessageKind.BarrierReply:
                _barrier = false;
                // DSB ST (A = 1) orders only the earlier stores before later loads; a full barrier also every earlier load.
                _floor = Math.Max(_floor, m.A == 1 ? m.View : Math.Max(m.View, _loadsDone));
                break;
            default: throw new InvalidOperationException($"litmus thread cannot handle {m.Kind}");
        }
        while (Step(o)) { }
    }

    /// <summary>
    /// The lowest tag not in use: a tag only has to tell apart what is pending at once, and reusing the lowest lets a retry
    /// loop's rounds leave the same state, so the search closes the loop.
    /// </summary>
    int NewTag()
    {
        if (_tags == ulong.MaxValue)
        {
            var at = _thread.Code[Math.Min(_pc, _thread.Code.Count - 1)];
            throw new LitmusException(_file, at.Line, at.Text, "unsupported: more than 64 accesses pending in one thread");
        }
        int tag = System.Numerics.BitOperations.TrailingZeroCount(~_tags) + 1;
        _tags |= 1UL << (tag - 1);
        return tag;
    }

    void FreeTag(int tag)
    {
        ulong bit = 1UL << (tag - 1);
        _tags &= ~bit;
        if (Array.Exists(_deferred, d => (d.Before & bit) != 0))
            _deferred = Array.ConvertAll(_deferred, d => d with { Before = d.Before & ~bit });
    }

    /// <summary>Holds <paramref name="d"/> back; a release notes what is in flight before it but its own <paramref name="tag"/> (0: none).</summary>
    void Defer(Deferred d, int tag = 0)
    {
        ulong before = _thread.Code[d.Pc].Release ? _tags & ~(tag == 0 ? 0 : 1UL << (tag - 1)) : 0;
        _deferred = [.. _deferred, d with { Before = before, Releases = _releases }];
    }

    /// <summary>The value <paramref name="tag"/> stood for arrived: every register, the flags and held-back operands waiting for it take it.</summary>
    void Resolve(int tag, long value, long view)
    {
        for (int r = 0; r < Registers; r++) _regs[r] = _regs[r].Resolve(tag, value, view);
        _flags = _flags.Resolve(tag, value, view);
        if (_deferred.Length > 0)
            _deferred = Array.ConvertAll(_deferred, d => d with { S = d.S.Resolve(tag, value, view), T = d.T?.Resolve(tag, value, view), Old = d.Old?.Resolve(tag, value, view) });
    }

    /// <summary>Load <paramref name="tag"/>'s result, wherever it is to go, carries <paramref name="ctrl"/> as control (<see cref="RegisterValue.Pending.Ctrl"/>).</summary>
    void Control(int tag, long ctrl)
    {
        for (int r = 0; r < Registers; r++) _regs[r] = _regs[r].Controlled(tag, ctrl);
        _flags = _flags.Controlled(tag, ctrl);
        if (_deferred.Length > 0)
            _deferred = Array.ConvertAll(_deferred, d => d with { S = d.S.Controlled(tag, ctrl), T = d.T?.Controlled(tag, ctrl), Old = d.Old?.Controlled(tag, ctrl) });
    }

    /// <summary>
    /// Load <paramref name="tag"/> read the write named <paramref name="written"/>, performed at <paramref name="view"/>: if it
    /// is a load-exclusive (or a split atomic's read), its reservation now names it, and no longer its tag, which a later access may take.
    /// </summary>
    void Reserved(int tag, long written, long view)
    {
        static bool Awaits(Reservation r, int tag) => r.Held && r.Read == Reservation.Unknown && r.Tag == tag;
        if (Awaits(_reservation, tag)) _reservation = _reservation with { Read = written, Tag = 0, ReadView = view };
        if (Array.Exists(_deferred, d => d.Pair is { } p && Awaits(p, tag)))
            _deferred = Array.ConvertAll(_deferred, d => d.Pair is { } p && Awaits(p, tag) ? d with { Pair = p with { Read = written, Tag = 0, ReadView = view } } : d);
    }

    /// <summary>
    /// The store-exclusive waiting for outcome <paramref name="tag"/> writes or fails: its status register takes 0 or 1,
    /// with <paramref name="view"/> (its address's and its load-exclusive's on success, none on failure: herd's
    /// <c>riscv_sc</c>). One that fails writes nothing and is no longer held back.
    /// </summary>
    void Decided(int tag, bool writes, long view)
    {
        Resolve(tag, writes ? 0 : 1, view);
        int k = Array.FindIndex(_deferred, d => d.Outcome == tag);
        _deferred = writes ? _deferred.Select((d, j) => j == k ? d with { Outcome = 0 } : d).ToArray() : [.. _deferred[..k], .. _deferred[(k + 1)..]];
    }

    /// <summary>Executes the next instruction if nothing it needs is pending; false when the thread must wait or is done.</summary>
    bool Step(Outbox o)
    {
        if (_barrier || _yielded) return false;
        // What was held back before an acquire goes while the acquire waits for its reply: [A]; po orders only what follows it.
        for (int k = 0; k < _deferred.Length; k++)
            if (IssueDeferred(o, k)) return true;
        if (_acquire >= 0) return false;
        if (_pc >= _thread.Code.Count) return false;
        // An acquire-release atomic's write goes before everything after it ([range([A]; amo; [L])]; po in bob).
        if (WaitsFor(o, (d, w) => d.Split && FullyOrdered(w))) return false;
        var i = _thread.Code[_pc];
        switch (i.Kind)
        {
            case InstrKind.Mov:
                // MOV Wd,Wm is ORR Wd,WZR,Wm: it writes Wm's low 32 bits.
                Set(i.Rd, i.Wide ? Operand(i.Op2, true) : RegisterValue.Combine(AluOp.Orr, RegisterValue.Zero, Operand(i.Op2, false), false));
                break;
            case InstrKind.Alu: Alu(i); break;
            case InstrKind.Csel or InstrKind.Csinc or InstrKind.Csinv or InstrKind.Csneg:
                Set(i.Rd, RegisterValue.Select(i.Cond, _flags, Reg(i.Rn), Otherwise(i), i.Wide));
                break;
            case InstrKind.Ldr or InstrKind.Ldar or InstrKind.Ldapr or InstrKind.Ldxr:
                // A load of a held-back write's location goes after it (coherence; it may have to forward it), and a
                // load-acquire waits for a held-back release ([L]; po; [A]).
                if (i.Kind == InstrKind.Ldxr && OnlyDeadLoadsPending()) return false;
                if (!Address(i, out int loc, out long addrView)) return false;
                // A plain one is held back behind that write rather than stopping the thread: Arm orders it after what the
                // write waits for only through the value it forwards ((addr | data); rfi), and later accesses after it only
                // where they depend on it.
                if (i.Kind == InstrKind.Ldr && HeldBack(loc))
                {
                    DeferLoad(o, i, loc, addrView);
                    WriteBack(i);
                    break;
                }
                if (HeldBack(loc) || AwaitsRelease(o, i)) return false;
                int loaded = Load(o, i, loc, addrView, i.Rt);
                if (i.Kind == InstrKind.Ldxr) _reservation = new Reservation(loc, i.AccessBytes, addrView, loaded, Reservation.Unknown, false);
                WriteBack(i);
                break;
            case InstrKind.Stxr:
                if (!Address(i, out loc, out addrView) || HeldBack(loc)) return false;
                StoreExclusive(o, i, loc, addrView);
                break;
            case InstrKind.Str or InstrKind.Stlr:
                // A store whose address is not known waits (addr; po; [W]). One after a held-back access to the same
                // location is held back behind it (coherence), not the thread: nothing orders what comes after.
                if (!Address(i, out loc, out addrView)) return false;
                WroteReserved(loc);
                var data = Reg(i.Rt);
                if (data is not RegisterValue.Known known || HeldBack(loc) || i.Kind == InstrKind.Stlr && (_outstanding > 0 || _deferred.Length > 0))
                    Defer(new Deferred(_pc, loc, addrView, data, null));
                else Store(o, i, loc, addrView, known, _releases);
                WriteBack(i);
                break;
            case InstrKind.Dmb:
                // A full barrier orders held-back stores too, DMB LD the reads in flight (an atomic's among them, split or
                // not; not a split one's held-back write), DMB ST every held-back store,
                // DSB ST every held-back store and every atomic's write (a CAS may perform after its delivery, at its read choice).
                if (i.Barrier == BarrierKind.Full && (_outstanding > 0 || _deferred.Length > 0)
                    || i.Barrier == BarrierKind.Ld && _reading > 0
                    || i.Barrier == BarrierKind.St && _deferred.Length > 0
                    || i.Barrier == BarrierKind.DsbSt && (_atomics > 0 || _deferred.Length > 0)) return false;
                if (i.Barrier == BarrierKind.St) o.StoreFence();
                else if (i.Barrier == BarrierKind.Ld) _floor = Math.Max(_floor, _loadsDone);
                else Fence(o, dsbSt: i.Barrier == BarrierKind.DsbSt);
                break;
            case InstrKind.Isb: _floor = Math.Max(_floor, _ctrl); break;
            case InstrKind.Nop: break;
            case InstrKind.Cbz or InstrKind.Cbnz or InstrKind.Tbz or InstrKind.Tbnz:
                if (Reg(i.Rt) is not RegisterValue.Known c) return false;
                _ctrl = Math.Max(_ctrl, Math.Max(c.View, c.Ctrl));
                // TBZ and TBNZ test bit Op2 of the register, CBZ and CBNZ all of it.
                long tested = i.Kind is InstrKind.Tbz or InstrKind.Tbnz ? c.Value >> (int)i.Op2.Immediate & 1 : DataProcessing.Width(c.Value, i.Wide);
                return Branch(o, (tested == 0) == (i.Kind is InstrKind.Cbz or InstrKind.Tbz) ? i.Target : _pc + 1);
            case InstrKind.B:
                return Branch(o, i.Target);
            case InstrKind.BCond:
                if (_flags is not RegisterValue.Known f) return false;
                _ctrl = Math.Max(_ctrl, Math.Max(f.View, f.Ctrl));
                return Branch(o, i.Cond.Holds(f.Value) ? i.Target : _pc + 1);
            case InstrKind.Cas or InstrKind.Swp or InstrKind.LdOp or InstrKind.StOp:
                if (!Rmw(o, i)) return false;
                break;
            default: throw new LitmusException(_file, i.Line, i.Text, "unsupported instruction");
        }
        if (i.Release) _releases++;
        _pc++;
        return true;
    }

    /// <summary>
    /// Goes on at <paramref name="target"/>. A branch back ends this step: the thread sends itself a Resume and waits for it,
    /// so each round of a loop is a state the search hashes. A round that leaves the state it started from is then one the
    /// search has seen, and a loop that never ends (a store-exclusive failing every round, a <c>B</c> to itself) is a cycle
    /// it closes, or states that grow until <c>maxStates</c> says INCOMPLETE, never a step that does not return.
    /// </summary>
    bool Branch(Outbox o, int target)
    {
        bool back = target <= _pc;
        _pc = target;
        if (!back) return true;
        _yielded = true;
        o.Send(_self, MessageKind.Resume, DelayClass.Reply);
        return false;
    }

    /// <summary>
    /// Whether the thread has loads in flight and nothing else, and no register or flags still live here wait for any
    /// of them. A load-exclusive waits for those: a retry loop whose store-exclusive fails issues its load-exclusive again
    /// before the last one's answer, and without this each round would leave one more load in flight, a search that never
    /// closes. Nothing is lost: each such load could have been answered when it was sent, by the oldest write it may read.
    /// Nothing the rules put ahead of it can be in flight (no atomic, no acquire; a plain load passes the thread's own
    /// stores by forwarding, and one that does not forward follows only an atomic, answered by now), that answer raises
    /// neither the thread's coherence record nor its loads' stamp above the load's floor, which later accesses are at or
    /// above already, no other answer constrains less, and no live register holds its value.
    /// </summary>
    bool OnlyDeadLoadsPending()
    {
        if (_outstanding == 0 || _atomics > 0 || _acquire >= 0 || _deferred.Length > 0 || _barrier) return false;
        ulong live = _live[_pc];
        if ((live & RegisterLiveness.Flags) != 0 && _flags is not RegisterValue.Known) return false;
        for (int r = 0; r < Zr; r++)
            if ((live >> r & 1) != 0 && _regs[r] is not RegisterValue.Known) return false;
        return true;
    }

    /// <summary>
    /// A data-processing instruction. The flags an ADDS or SUBS writes come from its operands, an ANDS's or BICS's from
    /// its result: either way they carry the operands' views, as herd's NZCV register takes its value from them.
    /// </summary>
    void Alu(Instr i)
    {
        var n = Reg(i.Rn);
        var m = Operand(i.Op2, i.Wide);
        var result = RegisterValue.Combine(i.Alu, n, m, i.Wide);
        if (i.SetsFlags)
            _flags = i.Alu switch
            {
                AluOp.Add => RegisterValue.Combine(AluOp.AddFlags, n, m, i.Wide),
                AluOp.Sub => RegisterValue.Combine(AluOp.SubFlags, n, m, i.Wide),
                _ => RegisterValue.Combine(AluOp.LogicalFlags, result, RegisterValue.Zero, i.Wide),
            };
        Set(i.Rd, result);
    }

    /// <summary>What a conditional select takes when its condition fails: Op2, Op2 + 1, NOT Op2 or -Op2, with Op2's view.</summary>
    RegisterValue Otherwise(Instr i)
    {
        var m = Operand(i.Op2, i.Wide);
        return i.Kind switch
        {
            InstrKind.Csinc => RegisterValue.Combine(AluOp.Add, m, new RegisterValue.Known(1, 0), i.Wide),
            InstrKind.Csinv => RegisterValue.Combine(AluOp.Orn, RegisterValue.Zero, m, i.Wide),
            InstrKind.Csneg => RegisterValue.Combine(AluOp.Sub, RegisterValue.Zero, m, i.Wide),
            _ => m,
        };
    }

    /// <summary>
    /// Sends the load, whose value goes to <paramref name="dest"/>; returns the tag its reply will carry. <paramref name="noRet"/>:
    /// the read of a split atomic that returns nothing, which is no acquire and no read DMB LD orders (herd's <c>NoRet</c>).
    /// </summary>
    int Load(Outbox o, Instr i, int loc, long addrView, int dest, bool noRet = false)
    {
        int tag = NewTag();
        _outstanding++;
        if (!noRet) _reading++;
        bool acquire = i.Acquire && !noRet;
        SendLoad(o, i, loc, Math.Max(_floor, addrView), noRet ? -tag : tag, acquire);
        Set(dest, Reading(tag, i.Wide, loc));
        if (acquire) _acquire = tag;
        return tag;
    }

    /// <summary>
    /// The result of load <paramref name="tag"/> of <paramref name="loc"/>, to come: after a write of the thread there, it
    /// carries what only chose that write's value as control (<c>lrs</c> in <c>pick-dtrm</c>), whatever write it reads.
    /// </summary>
    RegisterValue.Pending Reading(int tag, bool wide, int loc) => new(tag, wide, ChoseLast(loc));

    /// <summary>What only chose the thread's latest write to <paramref name="loc"/> that a load may still take (0: none).</summary>
    long ChoseLast(int loc) => _lastOwn[loc] != 0 ? _lastCtrl[loc] : 0;

    /// <summary>
    /// Holds plain load <paramref name="i"/> back behind the held-back write to <paramref name="loc"/>: its register waits
    /// for its reply as any load's does, and it counts among the loads in flight (DMB LD, a release and a full barrier wait
    /// for it), but it is sent only once that write is (<see cref="IssueDeferred"/>), with the floor it has here, which
    /// later barriers and acquires do not raise. Where that write is a plain store that waits for more than its data (a
    /// release, or one behind another write there), Arm lets the load take its value as soon as that is known, ordered
    /// after what the value comes from only (<c>(addr | data); lrs</c>), or read a later write of another thread, which
    /// <c>coe; rfe</c> orders after the store: the thread sends itself both ways as alternatives.
    /// </summary>
    void DeferLoad(Outbox o, Instr i, int loc, long addrView)
    {
        int tag = NewTag();
        _outstanding++;
        _reading++;
        Set(i.Rt, new RegisterValue.Pending(tag, i.Wide));
        int w = Array.FindLastIndex(_deferred, d => d.Loc == loc && d.Load == 0);
        int choice = 0;
        if (w >= 0 && _thread.Code[_deferred[w].Pc] is { Kind: InstrKind.Str or InstrKind.Stlr } store
            && (store.Release || Array.FindIndex(_deferred, d => d.Loc == loc) < w))
            choice = Ways(o, MessageKind.ForwardChoice);
        // Behind one split CAS alone, whose write nothing orders it after but what the write takes from (dob's data; lrs,
        // pob's pick-dep through lrs), the same guess as an acquire's (WaitsFor): it waits for the write, or the CAS must
        // fail without one and the load goes at once (PassesFailingCas).
        else if (w >= 0 && Array.FindIndex(_deferred, d => d.Loc == loc) == w && _deferred[w] is { Split: true, Fails: null, Choice: 0 } cas
            && _thread.Code[cas.Pc] is { Kind: InstrKind.Cas, Release: false } && Outcome(_thread.Code[cas.Pc], cas) is null)
        {
            int guess = Ways(o, MessageKind.CasFails);
            _deferred = _deferred.Select((d, j) => j == w ? d with { Choice = guess } : d).ToArray();
        }
        Defer(new Deferred(_pc, loc, Math.Max(_floor, addrView), RegisterValue.Zero, null, Load: tag, Choice: choice));
    }

    /// <summary>
    /// Whether held-back load <paramref name="k"/> may go before the held-back write to its location: that write is the only
    /// one there, a split CAS's the thread guessed fails without a write (<see cref="DeferLoad"/>), whose read has gone, so
    /// memory takes the load after it (coherence); the CAS's success drops a wrong guess (<see cref="IssueDeferred"/>).
    /// </summary>
    bool PassesFailingCas(int k)
    {
        int loc = _deferred[k].Loc;
        int w = Array.FindIndex(_deferred, 0, k, d => d.Loc == loc);
        return w >= 0 && Array.FindLastIndex(_deferred, k - 1, k, d => d.Loc == loc) == w
            && _deferred[w] is { Split: true, Fails: true } cas && _thread.Code[cas.Pc].Kind == InstrKind.Cas;
    }

    /// <summary>
    /// Held-back load <paramref name="k"/>, which takes the store just before it by forwarding, takes that store's value if
    /// it is known (and no load between them is still held back, which may read a later write): with the store's view, as
    /// memory answers a forwarded load.
    /// </summary>
    bool Forward(int k)
    {
        var d = _deferred[k];
        int w = Array.FindLastIndex(_deferred[..k], e => e.Loc == d.Loc);
        if (w < 0 || _deferred[w].Load != 0 || _deferred[w].S is not RegisterValue.Known s) return false;
        var store = _thread.Code[_deferred[w].Pc];
        long view = Math.Max(d.AddrView, Math.Max(_deferred[w].AddrView, s.View));
        _deferred = [.. _deferred[..k], .. _deferred[(k + 1)..]];
        _outstanding--;
        _reading--;
        FreeTag(d.Load);
        if (s.Ctrl != 0) Control(d.Load, s.Ctrl);
        Resolve(d.Load, DataProcessing.Width(s.Value, store.Wide), view);
        _loadsDone = Math.Max(_loadsDone, view);
        return true;
    }

    /// <summary>Sends a load that reads no lower than <paramref name="view"/>; <paramref name="tag"/> is negative for a read whose value no register takes.</summary>
    void SendLoad(Outbox o, Instr i, int loc, long view, int tag, bool acquire)
    {
        // It may take the thread's latest write to the location by forwarding, before that write is visible (rfi is not in ob).
        // An acquire taking a store-exclusive's or an atomic's write that way still follows that write's read (herd's aob,
        // rmw; lrs; [A | Q]); lrs relates the write to every later read of its location, so the acquire follows that read
        // whichever write it reads.
        bool forwards = _lastOwn[loc] != 0;
        if (acquire && forwards) view = Math.Max(view, _lastRmwRead[loc]);
        var order = forwards ? Ordering.Forwards : Ordering.None;
        if (i.AcquireRcsc) order |= Ordering.AfterReleases;
        o.Send(LitmusExplorer.MemoryActor, MessageKind.Load, DelayClass.Request, order, loc, _lastView[loc], _lastValue[loc], tag,
            view: view, own: forwards ? _lastOwn[loc] : 0);
    }

    /// <summary>
    /// STXR, STLXR (docs/litmus.md, "Exclusives"). Every store-exclusive ends the thread's reservation. Without one it
    /// fails: status 1, no write (herd's <c>do_stxr</c>: <c>must_fail</c> with no load-exclusive, and a reservation address
    /// cleared by the last store-exclusive). With one of another location or size, Arm's answer is CONSTRAINED
    /// UNPREDICTABLE, and after the thread's own write to the location the model does not settle it: both refused. Otherwise
    /// it may fail (herd's <c>aarch64_store_conditional</c> keeps the failing branch always) or write; which, is a choice the
    /// search explores: two alternative outcomes the thread sends itself. The write is held back until it is chosen, its
    /// data is known and the load-exclusive has answered (<c>rmw</c> is in <c>aob</c>: the write follows that read), and
    /// memory drops the execution if another write became newest since (<see cref="LitmusMemory.Infeasible"/>).
    /// </summary>
    void StoreExclusive(Outbox o, Instr i, int loc, long addrView)
    {
        var pair = _reservation;
        _reservation = Reservation.None;
        if (!pair.Held)
        {
            Set(i.Rs, new RegisterValue.Known(1, 0));
            return;
        }
        if (pair.Loc != loc || pair.Bytes != i.AccessBytes)
            throw new LitmusException(_file, i.Line, i.Text, $"unsupported: a {i.AccessBytes}-byte store-exclusive to {_layout.Cells[loc]} after a {pair.Bytes}-byte load-exclusive of "
                + $"{_layout.Cells[pair.Loc]}: the Arm ARM makes a pair of different addresses or sizes CONSTRAINED UNPREDICTABLE (B2.9)");
        if (pair.Overwritten)
            throw new LitmusException(_file, i.Line, i.Text, "unsupported: a store-exclusive after this thread's own write to the location its "
                + "load-exclusive reserved: herd's atomicity (fre; coe) lets it succeed, the model does not settle whether Arm's monitors do");
        int tag = NewTag();
        Set(i.Rs, new RegisterValue.Pending(tag, false));
        Defer(new Deferred(_pc, loc, addrView, Reg(i.Rt), null, pair, tag), tag);
        o.Send(_self, MessageKind.ExclusiveOutcome, DelayClass.Reply, Ordering.Alternative, loc, a: 0, c: tag, view: Math.Max(addrView, pair.AddrView));
        o.Send(_self, MessageKind.ExclusiveOutcome, DelayClass.Reply, Ordering.Alternative, loc, a: 1, c: tag);
    }

    /// <summary>The thread writes <paramref name="loc"/> in program order here: a reservation of it is overwritten.</summary>
    void WroteReserved(int loc)
    {
        if (_reservation.Loc == loc) _reservation = _reservation with { Overwritten = true };
    }

    /// <summary>
    /// A store, or the write of a store-exclusive or of a split atomic, which memory takes only while <paramref name="read"/>,
    /// the write their read read, is newest; <paramref name="readView"/>, the stamp that read was performed at.
    /// </summary>
    void Store(Outbox o, Instr i, int loc, long addrView, RegisterValue.Known data, int releases, long read = Reservation.Unknown, long readView = 0,
        long chose = 0)
    {
        long value = DataProcessing.Width(data.Value, i.Wide);
        long view = Math.Max(addrView, data.View);
        int own = ++_stores;
        bool exclusive = i.Kind is not (InstrKind.Str or InstrKind.Stlr);
        _lastOwn[loc] = own;
        _lastValue[loc] = value;
        _lastView[loc] = view;
        _lastRmwRead[loc] = readView;
        _lastCtrl[loc] = Math.Max(data.Ctrl, chose);
        var order = Ordering.IsStore | (i.Release ? Ordering.AfterStores | Ordering.Release : Ordering.None) | (exclusive ? Ordering.Exclusive : Ordering.None);
        o.Send(LitmusExplorer.MemoryActor, MessageKind.Store, DelayClass.Posted, order, loc, value, read, view: view, own: own, releases: checked((ushort)releases));
    }

    /// <summary>
    /// CAS, SWP, the LDop and STop (LDADD, STADD, LDEOR, ...): one atomic access with the A (acquire) and L (release) orderings of its form. One that
    /// returns a value and waits, for a value operand or as a release for earlier accesses, is split
    /// (<see cref="ReadForUpdate"/>): only its write waits. One that returns nothing and waits is held back whole. One
    /// <see cref="Splits"/> names is split whatever it waits for.
    /// </summary>
    bool Rmw(Outbox o, Instr i)
    {
        // After a held-back store to the same location it waits (coherence), and an acquire after a held-back
        // release ([L]; po; [A]).
        if (!Address(i, out int loc, out long addrView) || HeldBack(loc) || AwaitsRelease(o, i)) return false;
        WroteReserved(loc);
        var s = Reg(i.Rs);
        var t = i.Kind == InstrKind.Cas ? Reg(i.Rt) : null;
        bool known = s is RegisterValue.Known && t is null or RegisterValue.Known;
        if (!known || i.Release && (_outstanding > 0 || _deferred.Length > 0) || _splits[_pc])
        {
            if (i.ReturnsOldValue || _splits[_pc]) ReadForUpdate(o, i, loc, addrView, s, t);
            else Defer(new Deferred(_pc, loc, addrView, s, t));
            return true;
        }
        IssueRmw(o, i, loc, addrView, (RegisterValue.Known)s, t as RegisterValue.Known, _releases);
        return true;
    }

    /// <summary>
    /// An atomic whose write must wait, for a value operand (CAS's Rs or Rt, SWP's or an LDop's Rs) not known yet or, as a
    /// release (XL), for earlier accesses, split as herd's event structures split it (docs/litmus.md, "Atomics whose
    /// write waits"): the operands feed only the write, and the read of an L atomic is no release (X), so the read goes now, as a load of its form (an acquire one is the A read everything after waits for), and returns
    /// the old value with the read's view alone. The write is held back until the operands and the read's answer are
    /// in, and a release one until every earlier access is; memory takes it only while the write read is still the
    /// newest (<c>rmw &amp; (fre; coe)</c> empty), as a store-exclusive's. A CAS whose comparison fails writes nothing.
    /// </summary>
    void ReadForUpdate(Outbox o, Instr i, int loc, long addrView, RegisterValue s, RegisterValue? t)
    {
        // One that returns nothing is split only where Splits says: its read is no acquire and no read DMB LD orders.
        int tag = Load(o, i, loc, addrView, i.OldValueRegister, noRet: !i.ReturnsOldValue);
        if (i.Kind == InstrKind.Cas) Set(i.OldValueRegister, new RegisterValue.Returned(Reading(tag, i.Wide, loc), s, i.Wide, Source(o, s)));
        var read = new Reservation(loc, i.AccessBytes, addrView, tag, Reservation.Unknown, false);
        Defer(new Deferred(_pc, loc, addrView, s, t, read, Old: Reading(tag, i.Wide, loc)), tag);
    }

    /// <summary>
    /// Where a later instruction may use what the split CAS at the thread's place returns and its Rs <paramref name="s"/>
    /// may carry a read, herd's two answers for a successful one differ (<see cref="RegisterValue.Returned"/>):
    /// data from Rs orders after Rs's read what data from the CAS's read does not, and the other way round. The thread
    /// sends itself both as alternatives, and the search explores each; returns their tag. Otherwise data from Rs, which
    /// then orders nothing and controls no more than data from the read would, allows all the other does: 0, no choice.
    /// </summary>
    int Source(Outbox o, RegisterValue s)
    {
        if (!_used[_pc] || s is RegisterValue.Known { View: 0, Ctrl: 0 }) return 0;
        return Ways(o, MessageKind.CasSource);
    }

    /// <summary>Sends the thread two alternatives of <paramref name="kind"/> (A = 0 and A = 1), which the search explores each; returns their tag.</summary>
    int Ways(Outbox o, MessageKind kind)
    {
        int tag = NewTag();
        o.Send(_self, kind, DelayClass.Reply, Ordering.Alternative, a: 0, c: tag);
        o.Send(_self, kind, DelayClass.Reply, Ordering.Alternative, a: 1, c: tag);
        return tag;
    }

    /// <summary>
    /// The instructions of <paramref name="code"/> whose returned register a later instruction may read (not only the final
    /// state): the thread waits for that value, so an atomic is split (<see cref="Splits"/>) and the wait is for its read,
    /// not its write, which Arm orders after the read only where what follows uses the value (herd's
    /// <c>MP+CAS-rfi-ctrl+acq</c>, Allowed: a store after a branch on it is seen before the CAS's write).
    /// </summary>
    public static bool[] ReturnUsed(IReadOnlyList<Instr> code)
    {
        var read = RegisterLiveness.ReadBefore(code);
        return code.Select((i, pc) => i.ReturnsOldValue
            && RegisterLiveness.Successors(i, pc).Any(n => n < code.Count && (read[n] >> i.OldValueRegister & 1) != 0)).ToArray();
    }

    /// <summary>
    /// The atomics of <paramref name="code"/> that are split (<see cref="ReadForUpdate"/>) whatever they wait for.
    /// <para>So that a read of the thread's own write takes it by forwarding rather than once it is visible, which Arm does not order
    /// (rfi is not in ob; herd's aob orders an acquire reading an atomic's write after the atomic's read only, rmw; lrs;
    /// [A | Q], and dob a plain load after what the write's value comes from only, (addr | data); rfi): one whose write a
    /// later load, plain or acquire, or atomic that returns a value may read, and one that returns a value
    /// and may read an earlier write of the thread. A write held back is written by the time such a read issues, and the
    /// read forwards it (<see cref="Load"/>).</para>
    /// <para>So that the thread, where it must wait for what an atomic returns, waits for its read and not its write, which
    /// aarch64.cat orders after the read only: an acquire one ([A]; po), one a DMB LD follows ([R \ NoRet]; po; [dmb.ld]; po),
    /// one whose returned register a later instruction reads (dob's addr, data and ctrl; pob; <see cref="ReturnUsed"/>). Unsplit,
    /// the thread would wait for memory's reply, which comes once the write is, and so order later writes after it too.
    /// Not an acquire-release one, whose write aarch64.cat orders before every later access ([range([A]; amo; [L])]; po).</para>
    /// "Later" and "earlier" take in the whole code where the thread branches back.
    /// Static, so that <see cref="LitmusLimits"/> knows which writes are held back.
    /// </summary>
    public static bool[] Splits(IReadOnlyList<Instr> code)
    {
        static bool Atomic(Instr i) => i.Kind is InstrKind.Cas or InstrKind.Swp or InstrKind.LdOp or InstrKind.StOp;
        static bool Reads(Instr i) => i.Kind is InstrKind.Ldr or InstrKind.Ldar or InstrKind.Ldapr or InstrKind.Ldxr || Atomic(i) && i.ReturnsOldValue;
        static bool Writes(Instr i) => i.Kind is InstrKind.Str or InstrKind.Stlr or InstrKind.Stxr || Atomic(i);
        bool loops = code.Select((i, pc) => RegisterLiveness.Successors(i, pc).Any(n => n <= pc)).Any(b => b);
        var used = ReturnUsed(code);
        var splits = new bool[code.Count];
        for (int pc = 0; pc < code.Count; pc++)
        {
            var i = code[pc];
            if (!Atomic(i)) continue;
            bool readLater = Enumerable.Range(0, code.Count).Any(j => (j > pc || loops) && Reads(code[j]));
            bool writtenBefore = Enumerable.Range(0, code.Count).Any(j => (j < pc || loops) && Writes(code[j]));
            bool dmbLdLater = Enumerable.Range(0, code.Count).Any(j => (j > pc || loops) && code[j] is { Kind: InstrKind.Dmb, Barrier: BarrierKind.Ld });
            // A CAS whose value is used is split even as CASAL: only split does it offer herd's two sources of that value (Source).
            bool waitedFor = i.Kind == InstrKind.Cas && used[pc] || i.ReturnsOldValue && !FullyOrdered(i) && (i.Acquire || dmbLdLater || used[pc]);
            splits[pc] = readLater || i.ReturnsOldValue && writtenBefore || waitedFor;
        }
        return splits;
    }

    /// <summary>Whether split atomic <paramref name="d"/> is a CAS known to have read another value than its Rs: it writes nothing.</summary>
    static bool Failed(Instr i, Deferred d) => Outcome(i, d) == false;

    /// <summary>Whether split CAS <paramref name="d"/> writes: null while its read or its Rs is not known, or if it is no split CAS.</summary>
    static bool? Outcome(Instr i, Deferred d) =>
        i.Kind == InstrKind.Cas && d.Old is RegisterValue.Known old && d.S is RegisterValue.Known s
            ? DataProcessing.Width(old.Value, i.Wide) == DataProcessing.Width(s.Value, i.Wide)
            : null;

    /// <summary>
    /// Whether acquire <paramref name="i"/> (RCsc: LDAR, an acquire atomic) must wait for a held-back release
    /// (<c>[L]; po; [A]</c>), by <see cref="WaitsFor"/>.
    /// </summary>
    bool AwaitsRelease(Outbox o, Instr i) => i.AcquireRcsc && WaitsFor(o, (_, w) => w.Release);

    /// <summary>
    /// Whether the thread must wait for a held-back write that <paramref name="orders"/> says orders it: a release for a
    /// later acquire (<c>[L]; po; [A]</c>), an acquire-release atomic's write for every later access
    /// (<c>[range([A]; amo; [L])]; po</c>). A split CAS writes only if it succeeds or fails with herd's write-back; herd's
    /// failure without a write (<c>aarch64_cas_no</c>) is a read alone, no release, and then neither orders anything after
    /// it (a CASAL's read still does, as an acquire the thread waits for). So where the only such writes in the way are
    /// split CASes that may still fail, the thread sends itself two ways for the first one not yet guessed: it waits for
    /// that CAS, or it goes ahead and the CAS must fail without a write, the execution dropped if it succeeds
    /// (<see cref="Infeasible"/>). Until the way arrives, it waits.
    /// </summary>
    bool WaitsFor(Outbox o, Func<Deferred, Instr, bool> orders)
    {
        int guess = -1;
        for (int k = 0; k < _deferred.Length; k++)
        {
            var d = _deferred[k];
            var w = _thread.Code[d.Pc];
            if (!orders(d, w)) continue;
            // Held back whole, or a split SWP or LDop: a write for certain.
            if (!d.Split || w.Kind != InstrKind.Cas) return true;
            bool? writes = Outcome(w, d);
            if (writes == false || writes is null && d.Fails == true) continue;
            if (writes == true || d.Fails == false || d.Choice != 0) return true;
            if (guess < 0) guess = k;
        }
        if (guess < 0) return false;
        int choice = Ways(o, MessageKind.CasFails);
        _deferred = _deferred.Select((d, j) => j == guess ? d with { Choice = choice } : d).ToArray();
        return true;
    }

    /// <summary>The write of split atomic <paramref name="d"/>, all of whose inputs are known.</summary>
    static RegisterValue.Known UpdateValue(Instr i, Deferred d)
    {
        var old = (RegisterValue.Known)d.Old!;
        var s = (RegisterValue.Known)d.S;
        // Its view is what its value takes data from (herd's swp_or_amo, aarch64_cas_ok), which a load forwarding it
        // follows ((addr | data); rfi); the read (but an LDop's) and CAS's Rs only control it, and it has waited for them.
        return i.Kind switch
        {
            InstrKind.Swp => s,
            InstrKind.LdOp or InstrKind.StOp => new RegisterValue.Known(DataProcessing.Apply(i.Alu, old.Value, s.Value, i.Wide), Math.Max(old.View, s.View), Math.Max(old.Ctrl, s.Ctrl)),
            _ => (RegisterValue.Known)d.T!,
        };
    }

    void IssueRmw(Outbox o, Instr i, int loc, long addrView, RegisterValue.Known s, RegisterValue.Known? t, int releases)
    {
        var kind = i.Kind switch { InstrKind.Cas => MessageKind.Cas, InstrKind.Swp => MessageKind.Swap, _ => MessageKind.FetchAdd };
        // A CAS's B is its new value, an LDop's or STop's its operation.
        long a = DataProcessing.Width(s.Value, i.Wide), b = t is not null ? DataProcessing.Width(t.Value, i.Wide) : (long)i.Alu;
        int dest = i.OldValueRegister;
        bool returns = dest != Zr;
        bool acquire = i.Acquire && returns;
        var order = Ordering.IsStore | (i.Release ? Ordering.AfterStores | Ordering.Release : Ordering.None) | (acquire ? Ordering.AfterReleases : Ordering.None)
            | (i.Wide ? Ordering.None : Ordering.Narrow);
        int tag = NewTag();
        _outstanding++;
        _atomics++;
        if (returns) _reading++;
        // Its written value depends on what it reads, so later loads of the location wait for it rather than forward from it.
        _lastOwn[loc] = 0;
        o.Send(LitmusExplorer.MemoryActor, kind, DelayClass.Request, order, loc, a, b, returns ? tag : -tag,
            view: Math.Max(_floor, addrView), own: ++_stores, releases: checked((ushort)releases));
        var returned = new RegisterValue.Pending(tag, i.Wide);
        Set(dest, i.Kind == InstrKind.Cas ? new RegisterValue.Returned(returned, s, i.Wide) : returned);
        if (acquire) _acquire = tag;
    }

    /// <summary>Issues held-back instruction <paramref name="k"/> if what it waits for has arrived: a store's data; for a release, every earlier access.</summary>
    bool IssueDeferred(Outbox o, int k)
    {
        var d = _deferred[k];
        var i = _thread.Code[d.Pc];
        if (d.Load != 0 && d.Forwards && Forward(k)) return true;
        // Accesses of one location go in program order (coherence).
        if (Array.Exists(_deferred[..k], e => e.Loc == d.Loc) && !(d.Load != 0 && PassesFailingCas(k))) return false;
        if (d.Load != 0)
        {
            if (d.Choice != 0) return false;
            _deferred = [.. _deferred[..k], .. _deferred[(k + 1)..]];
            long chose = ChoseLast(d.Loc);
            if (chose != 0) Control(d.Load, chose);
            SendLoad(o, i, d.Loc, d.AddrView, d.Load, acquire: false);
            return true;
        }
        // A CAS an acquire went ahead of, on the guess that it fails without a write, succeeds: no such execution. Every
        // split write goes from here, so none escapes this.
        if (d.Fails == true && Outcome(i, d) == true)
        {
            _infeasible = true;
            return false;
        }
        // A failed CAS is a read only (herd's aarch64_cas_no): nothing waits for it, its Rt and earlier accesses included.
        if (d.Split && Failed(i, d))
        {
            _deferred = [.. _deferred[..k], .. _deferred[(k + 1)..]];
            return true;
        }
        if (d.S is not RegisterValue.Known s || d.T is { } tv && tv is not RegisterValue.Known || d.Old is { } old && old is not RegisterValue.Known) return false;
        // A store-exclusive writes once it is chosen to and its load-exclusive has answered; a split atomic once its read has.
        if (d.Outcome != 0 || d.Pair is { Read: Reservation.Unknown }) return false;
        // A release goes after every access before it: the held-back ones first, then the loads and atomics in flight at
        // its place. Not after later loads: only [L]; po; [A] orders anything after a release.
        if (i.Release && (k > 0 || d.Before != 0)) return false;
        _deferred = [.. _deferred[..k], .. _deferred[(k + 1)..]];
        if (d.Split)
        {
            // A CAS's read and Rs reach its write by pick-dtrm (iico_data to the comparison, iico_ctrl from it).
            long chose = i.Kind == InstrKind.Cas ? Math.Max(d.Pair!.Value.ReadView, Math.Max(s.View, s.Ctrl)) : 0;
            Store(o, i, d.Loc, d.AddrView, UpdateValue(i, d), d.Releases, d.Pair!.Value.Read, d.Pair.Value.ReadView, chose);
            // Unsplit, the thread waits for the reply, which comes once the write is; split, for the write as a full barrier would.
            if (FullyOrdered(i)) Fence(o, dsbSt: false);
        }
        else if (i.Kind is InstrKind.Str or InstrKind.Stlr or InstrKind.Stxr) Store(o, i, d.Loc, d.AddrView, s, d.Releases, d.Pair?.Read ?? Reservation.Unknown, d.Pair?.ReadView ?? 0);
        else IssueRmw(o, i, d.Loc, d.AddrView, s, d.T as RegisterValue.Known, d.Releases);
        return true;
    }

    bool HeldBack(int loc) => Array.Exists(_deferred, d => d.Loc == loc);

    /// <summary>An atomic whose read is an acquire and whose write a release: aarch64.cat orders its write before every later access.</summary>
    static bool FullyOrdered(Instr i) => i.Acquire && i.Release && i.ReturnsOldValue;

    /// <summary>
    /// A barrier request, performed after every earlier store (AfterStores), the thread waiting for its reply so every later
    /// access follows it; <paramref name="dsbSt"/>: a DSB ST's, which orders earlier stores only before later loads.
    /// </summary>
    void Fence(Outbox o, bool dsbSt)
    {
        o.Send(LitmusExplorer.MemoryActor, MessageKind.Barrier, DelayClass.Request, Ordering.AfterStores, a: dsbSt ? 1 : 0, releases: checked((ushort)_releases));
        _barrier = true;
    }

    /// <summary>A post-indexed access's base register, written back in program order whether or not the store is held back: its dependencies are the base's own.</summary>
    void WriteBack(Instr i)
    {
        if (i.PostIndex != 0 && Reg(i.Rn) is RegisterValue.Known b) Set(i.Rn, new RegisterValue.Known(b.Value + i.PostIndex, b.View, b.Ctrl));
    }

    bool Address(Instr i, out int loc, out long view)
    {
        loc = -1;
        view = 0;
        if (Reg(i.Rn) is not RegisterValue.Known b || Operand(i.Op2, true) is not RegisterValue.Known off) return false;
        // An array's cells take only an access of their own size (LitmusLayout).
        loc = _layout.Location(b.Value + off.Value, i.AccessBytes, out string refusal);
        if (loc < 0) throw new LitmusException(_file, i.Line, i.Text, refusal);
        view = Math.Max(b.View, off.View);
        // What only chose the address (a CSEL's flags) counts for ISB too: aarch64.cat's pick-addr-dep; [M]; po; [ISB]; po.
        _ctrl = Math.Max(_ctrl, Math.Max(view, Math.Max(b.Ctrl, off.Ctrl)));
        return true;
    }


    RegisterValue Reg(int r) => r < 0 || r == Zr ? RegisterValue.Zero : _regs[r];

    /// <summary>An operand's value; an extended or shifted register's is computed from the register's, so it keeps its dependencies.</summary>
    RegisterValue Operand(in Operand op, bool wide)
    {
        if (!op.IsRegister) return new RegisterValue.Known(DataProcessing.Width(op.Immediate, wide), 0);
        var v = Reg(op.Register);
        if (op.Extend != Extension.None)
        {
            var (extend, field) = DataProcessing.Extender(op.Extend);
            v = RegisterValue.Combine(extend, v, new RegisterValue.Known(field, 0), true);
        }
        return op.Amount == 0 ? v : RegisterValue.Combine(op.Shift, v, new RegisterValue.Known(op.Amount, 0), wide);
    }

    void Set(int r, RegisterValue v)
    {
        if (r >= 0 && r != Zr) _regs[r] = v;
    }

    public void Hash(ref StateHasher h)
    {
        h.Add(_pc); h.Add(_started ? 1 : 0); h.Add(_floor); h.Add(_ctrl); h.Add(_loadsDone); h.Add((long)_tags); h.Add(_outstanding); h.Add(_reading); h.Add(_atomics);
        h.Add(_acquire); h.Add(_barrier ? 1 : 0); h.Add(_yielded ? 1 : 0); h.Add(_stores); h.Add(_releases);
        foreach (var r in _regs) r.Hash(ref h);
        _flags.Hash(ref h);
        for (int l = 0; l < _lastOwn.Length; l++) { h.Add(_lastOwn[l]); h.Add(_lastValue[l]); h.Add(_lastView[l]); h.Add(_lastRmwRead[l]); h.Add(_lastCtrl[l]); }
        _reservation.Hash(ref h);
        h.Add(_deferred.Length);
        foreach (var d in _deferred)
        {
            h.Add(d.Pc); h.Add(d.Loc); h.Add(d.AddrView); h.Add(d.Outcome); h.Add((long)d.Before); h.Add(d.Load); h.Add(d.Choice); h.Add(d.Forwards ? 1 : 0); h.Add(d.Releases); h.Add(d.Fails is { } f ? (f ? 2 : 1) : 0);
            if (d.Pair is { } p) p.Hash(ref h);
            if (d.S is { } s) s.Hash(ref h);
            if (d.T is { } t) t.Hash(ref h);
            if (d.Old is { } old) old.Hash(ref h);
        }
    }

    public IComponent Clone()
    {
        var c = (LitmusCpu)MemberwiseClone();
        c._regs = (RegisterValue[])_regs.Clone();
        c._lastOwn = (int[])_lastOwn.Clone();
        c._lastValue = (long[])_lastValue.Clone();
        c._lastView = (long[])_lastView.Clone();
        c._lastRmwRead = (long[])_lastRmwRead.Clone();
        c._lastCtrl = (long[])_lastCtrl.Clone();
        return c;
    }
}
