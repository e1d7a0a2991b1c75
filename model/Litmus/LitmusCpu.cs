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
/// does order them (the same location, a barrier, an acquire after a release, a register the held-back atomic
/// writes) stops them.
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

    int _pc;
    bool _started;
    RegisterValue[] _regs;
    RegisterValue _flags = RegisterValue.Zero; // NZCV; never read before it is set (LitmusLimits)
    long _floor;      // no later load reads below this (DMB, acquire, ISB)
    long _ctrl;       // views of branch conditions and addresses so far: what ISB makes a floor
    long _loadsDone;  // the latest stamp a replied load counts as performed at
    int _tags;
    int _outstanding; // loads and RMWs not yet replied
    int _reading;     // those of them whose value goes to a register: what DMB LD waits for
    int _atomics;     // those of them that are RMWs: writes DSB ST waits for
    int _acquire = -1;
    bool _barrier;
    int _stores;
    int[] _lastOwn;   // per location: the count of this thread's latest plain store there (0: none or an RMW)
    long[] _lastValue, _lastView;
    Deferred[] _deferred = [];   // oldest first; replaced, never changed in place, so clones share it

    /// <summary>
    /// A store (STR waiting for its data, STLR waiting for earlier accesses) or an atomic waiting for a value operand
    /// or, as a release, for earlier accesses, held back while later instructions issue: its location and operands as
    /// at its place in program order, so later writes to its registers do not change it. <paramref name="S"/> is the
    /// stored value or the atomic's Rs, <paramref name="T"/> a CAS's Rt.
    /// </summary>
    readonly record struct Deferred(int Pc, int Loc, long AddrView, RegisterValue S, RegisterValue? T);

    public LitmusCpu(LitmusThread thread, string file, byte self, LitmusLayout layout)
    {
        _thread = thread;
        _file = file;
        _self = self;
        _layout = layout;
        int locations = layout.Cells.Count;
        _regs = new RegisterValue[Registers];
        for (int r = 0; r < Registers; r++)
            _regs[r] = thread.InitialRegisters.TryGetValue(r, out long v) && r != Zr ? new RegisterValue.Known(v, 0) : RegisterValue.Zero;
        _lastOwn = new int[locations];
        _lastValue = new long[locations];
        _lastView = new long[locations];
    }

    public bool Finished => _started && _pc >= _thread.Code.Count && _outstanding == 0 && !_barrier && _deferred.Length == 0;

    /// <summary>The final registers; only meaningful once <see cref="Finished"/>.</summary>
    public long[] FinalRegisters() => _regs.Select(r => r is RegisterValue.Known k ? k.Value : throw new InvalidOperationException("a register is still pending")).ToArray();

    public void Handle(in Message m, Outbox o)
    {
        switch (m.Kind)
        {
            case MessageKind.Start: _started = true; break;
            case MessageKind.LoadReply or MessageKind.RmwReply:
                int tag = (int)m.C;
                _outstanding--;
                if (m.Kind == MessageKind.RmwReply) _atomics--;
                if (tag < 0) break; // an atomic without a destination: no register, and no read DMB LD orders
                for (int r = 0; r < Registers; r++) _regs[r] = _regs[r].Resolve(tag, m.A, m.View);
                _flags = _flags.Resolve(tag, m.A, m.View);
                if (_deferred.Length > 0)
                {
                    long value = m.A, view = m.View;
                    _deferred = Array.ConvertAll(_deferred, d => d with { S = d.S.Resolve(tag, value, view), T = d.T?.Resolve(tag, value, view) });
                }
                _reading--;
                _loadsDone = Math.Max(_loadsDone, m.View);
                if (_acquire == tag) { _acquire = -1; _floor = Math.Max(_floor, m.View); }
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

    /// <summary>Executes the next instruction if nothing it needs is pending; false when the thread must wait or is done.</summary>
    bool Step(Outbox o)
    {
        if (_acquire >= 0 || _barrier) return false;
        for (int k = 0; k < _deferred.Length; k++)
            if (IssueDeferred(o, k)) return true;
        if (_pc >= _thread.Code.Count) return false;
        var i = _thread.Code[_pc];
        // An instruction that reads or writes a register a held-back atomic is still to write waits for it.
        if (_deferred.Length > 0 && UsesDeferredDestination(i)) return false;
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
            case InstrKind.Ldr or InstrKind.Ldar or InstrKind.Ldapr:
                // A load of a held-back store's location waits for it (coherence; it may have to forward it), and a
                // load-acquire waits for a held-back release ([L]; po; [A]).
                if (!Address(i, out int loc, out long addrView) || HeldBack(loc)
                    || i.Kind == InstrKind.Ldar && Array.Exists(_deferred, d => _thread.Code[d.Pc].Release)) return false;
                Load(o, i, loc, addrView);
                WriteBack(i);
                break;
            case InstrKind.Str or InstrKind.Stlr:
                // A store after an access to an unknown address waits (addr; po; [W]), and after a held-back one to
                // the same location (coherence).
                if (!Address(i, out loc, out addrView) || HeldBack(loc)) return false;
                var data = Reg(i.Rt);
                if (data is not RegisterValue.Known known || i.Kind == InstrKind.Stlr && (_outstanding > 0 || _deferred.Length > 0))
                    _deferred = [.. _deferred, new Deferred(_pc, loc, addrView, data, null)];
                else Store(o, i, loc, addrView, known);
                WriteBack(i);
                break;
            case InstrKind.Dmb:
                // A full barrier orders held-back stores too, DMB LD a held-back atomic's read, DMB ST every held-back store,
                // DSB ST every held-back store and every atomic's write (a CAS may perform after its delivery, at its read choice).
                if (i.Barrier == BarrierKind.Full && (_outstanding > 0 || _deferred.Length > 0)
                    || i.Barrier == BarrierKind.Ld && (_reading > 0 || Array.Exists(_deferred, d => _thread.Code[d.Pc].ReturnsOldValue))
                    || i.Barrier == BarrierKind.St && _deferred.Length > 0
                    || i.Barrier == BarrierKind.DsbSt && (_atomics > 0 || _deferred.Length > 0)) return false;
                if (i.Barrier == BarrierKind.St) o.StoreFence();
                else if (i.Barrier == BarrierKind.Ld) _floor = Math.Max(_floor, _loadsDone);
                else
                {
                    // Performed after every earlier store (AfterStores); the thread waits for it, so every later access follows it.
                    o.Send(LitmusExplorer.MemoryActor, MessageKind.Barrier, DelayClass.Request, Ordering.AfterStores, a: i.Barrier == BarrierKind.DsbSt ? 1 : 0);
                    _barrier = true;
                }
                break;
            case InstrKind.Isb: _floor = Math.Max(_floor, _ctrl); break;
            case InstrKind.Nop: break;
            case InstrKind.Cbz or InstrKind.Cbnz or InstrKind.Tbz or InstrKind.Tbnz:
                if (Reg(i.Rt) is not RegisterValue.Known c) return false;
                _ctrl = Math.Max(_ctrl, Math.Max(c.View, c.Ctrl));
                // TBZ and TBNZ test bit Op2 of the register, CBZ and CBNZ all of it.
                long tested = i.Kind is InstrKind.Tbz or InstrKind.Tbnz ? c.Value >> (int)i.Op2.Immediate & 1 : DataProcessing.Width(c.Value, i.Wide);
                _pc = (tested == 0) == (i.Kind is InstrKind.Cbz or InstrKind.Tbz) ? i.Target : _pc + 1;
                return true;
            case InstrKind.B:
                _pc = i.Target;
                return true;
            case InstrKind.BCond:
                if (_flags is not RegisterValue.Known f) return false;
                _ctrl = Math.Max(_ctrl, Math.Max(f.View, f.Ctrl));
                _pc = i.Cond.Holds(f.Value) ? i.Target : _pc + 1;
                return true;
            case InstrKind.Cas or InstrKind.Swp or InstrKind.LdAdd or InstrKind.StAdd:
                if (!Rmw(o, i)) return false;
                break;
            default: throw new LitmusException(_file, i.Line, i.Text, "unsupported instruction");
        }
        _pc++;
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

    void Load(Outbox o, Instr i, int loc, long addrView)
    {
        int tag = ++_tags;
        _outstanding++;
        _reading++;
        var order = _lastOwn[loc] != 0 ? Ordering.Forwards : Ordering.None;
        if (i.Kind == InstrKind.Ldar) order |= Ordering.AfterReleases;
        o.Send(LitmusExplorer.MemoryActor, MessageKind.Load, DelayClass.Request, order, loc, _lastView[loc], _lastValue[loc], tag,
            view: Math.Max(_floor, addrView), own: _lastOwn[loc]);
        Set(i.Rt, new RegisterValue.Pending(tag, i.Wide));
        if (i.Kind is InstrKind.Ldar or InstrKind.Ldapr) _acquire = tag;
    }

    void Store(Outbox o, Instr i, int loc, long addrView, RegisterValue.Known data)
    {
        long value = DataProcessing.Width(data.Value, i.Wide);
        long view = Math.Max(addrView, data.View);
        int own = ++_stores;
        _lastOwn[loc] = own;
        _lastValue[loc] = value;
        _lastView[loc] = view;
        var order = Ordering.IsStore | (i.Kind == InstrKind.Stlr ? Ordering.AfterStores | Ordering.Release : Ordering.None);
        o.Send(LitmusExplorer.MemoryActor, MessageKind.Store, DelayClass.Posted, order, loc, value, view: view, own: own);
    }

    /// <summary>
    /// CAS, SWP, LDADD, STADD: one atomic access with the A (acquire) and L (release) orderings of its form. One that
    /// waits for a value operand, or a release that waits for earlier accesses, is held back, unless it is an acquire
    /// that returns a value, which everything after waits for.
    /// </summary>
    bool Rmw(Outbox o, Instr i)
    {
        // After a held-back store to the same location it waits (coherence), and an acquire after a held-back
        // release ([L]; po; [A]).
        if (!Address(i, out int loc, out long addrView) || HeldBack(loc)
            || i.Acquire && i.ReturnsOldValue && Array.Exists(_deferred, d => _thread.Code[d.Pc].Release)) return false;
        var s = Reg(i.Rs);
        var t = i.Kind == InstrKind.Cas ? Reg(i.Rt) : null;
        if (s is not RegisterValue.Known ks || t is not (null or RegisterValue.Known) || i.Release && (_outstanding > 0 || _deferred.Length > 0))
        {
            if (i.Acquire && i.ReturnsOldValue) return false;
            _deferred = [.. _deferred, new Deferred(_pc, loc, addrView, s, t)];
            return true;
        }
        IssueRmw(o, i, loc, addrView, ks, t as RegisterValue.Known);
        return true;
    }

    void IssueRmw(Outbox o, Instr i, int loc, long addrView, RegisterValue.Known s, RegisterValue.Known? t)
    {
        var kind = i.Kind switch { InstrKind.Cas => MessageKind.Cas, InstrKind.Swp => MessageKind.Swap, _ => MessageKind.FetchAdd };
        long a = DataProcessing.Width(s.Value, i.Wide), b = t is null ? 0 : DataProcessing.Width(t.Value, i.Wide);
        int dest = i.OldValueRegister;
        bool returns = dest != Zr;
        bool acquire = i.Acquire && returns;
        var order = Ordering.IsStore | (i.Release ? Ordering.AfterStores | Ordering.Release : Ordering.None) | (acquire ? Ordering.AfterReleases : Ordering.None);
        int tag = ++_tags;
        _outstanding++;
        _atomics++;
        if (returns) _reading++;
        // Its written value depends on what it reads, so later loads of the location wait for it rather than forward from it.
        _lastOwn[loc] = 0;
        o.Send(LitmusExplorer.MemoryActor, kind, DelayClass.Request, order, loc, a, b, returns ? tag : -tag,
            view: Math.Max(_floor, addrView), own: ++_stores);
        Set(dest, new RegisterValue.Pending(tag, i.Wide));
        if (acquire) _acquire = tag;
    }

    /// <summary>Issues held-back instruction <paramref name="k"/> if what it waits for has arrived: a store's data; for a release, every earlier access.</summary>
    bool IssueDeferred(Outbox o, int k)
    {
        var d = _deferred[k];
        var i = _thread.Code[d.Pc];
        if (d.S is not RegisterValue.Known s || d.T is { } tv && tv is not RegisterValue.Known) return false;
        // A release goes after every access before it: the held-back ones first, then the outstanding loads and atomics.
        if (i.Release && (k > 0 || _outstanding > 0)) return false;
        _deferred = [.. _deferred[..k], .. _deferred[(k + 1)..]];
        if (i.Kind is InstrKind.Str or InstrKind.Stlr) Store(o, i, d.Loc, d.AddrView, s);
        else IssueRmw(o, i, d.Loc, d.AddrView, s, d.T as RegisterValue.Known);
        return true;
    }

    bool HeldBack(int loc) => Array.Exists(_deferred, d => d.Loc == loc);

    /// <summary>A post-indexed access's base register, written back in program order whether or not the store is held back: its dependencies are the base's own.</summary>
    void WriteBack(Instr i)
    {
        if (i.PostIndex != 0 && Reg(i.Rn) is RegisterValue.Known b) Set(i.Rn, new RegisterValue.Known(b.Value + i.PostIndex, b.View, b.Ctrl));
    }

    /// <summary>Whether <paramref name="i"/> reads or writes a register that a held-back atomic will write.</summary>
    bool UsesDeferredDestination(Instr i)
    {
        foreach (var d in _deferred)
        {
            var held = _thread.Code[d.Pc];
            if (!held.ReturnsOldValue) continue;
            int r = held.OldValueRegister;
            if (i.Rd == r || i.Rn == r || i.Rt == r || i.Rs == r || i.Op2.IsRegister && i.Op2.Register == r) return true;
        }
        return false;
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
        _ctrl = Math.Max(_ctrl, view);
        return true;
    }


    RegisterValue Reg(int r) => r < 0 || r == Zr ? RegisterValue.Zero : _regs[r];

    RegisterValue Operand(in Operand op, bool wide) =>
        !op.IsRegister ? new RegisterValue.Known(DataProcessing.Width(op.Immediate, wide), 0)
        : op.Amount == 0 ? Reg(op.Register)
        : RegisterValue.Combine(op.Shift, Reg(op.Register), new RegisterValue.Known(op.Amount, 0), wide);

    void Set(int r, RegisterValue v)
    {
        if (r >= 0 && r != Zr) _regs[r] = v;
    }

    public void Hash(ref StateHasher h)
    {
        h.Add(_pc); h.Add(_started ? 1 : 0); h.Add(_floor); h.Add(_ctrl); h.Add(_loadsDone); h.Add(_tags); h.Add(_outstanding); h.Add(_reading); h.Add(_atomics);
        h.Add(_acquire); h.Add(_barrier ? 1 : 0); h.Add(_stores);
        foreach (var r in _regs) r.Hash(ref h);
        _flags.Hash(ref h);
        for (int l = 0; l < _lastOwn.Length; l++) { h.Add(_lastOwn[l]); h.Add(_lastValue[l]); h.Add(_lastView[l]); }
        h.Add(_deferred.Length);
        foreach (var d in _deferred)
        {
            h.Add(d.Pc); h.Add(d.Loc); h.Add(d.AddrView);
            if (d.S is { } s) s.Hash(ref h);
            if (d.T is { } t) t.Hash(ref h);
        }
    }

    public IComponent Clone()
    {
        var c = (LitmusCpu)MemberwiseClone();
        c._regs = (RegisterValue[])_regs.Clone();
        c._lastOwn = (int[])_lastOwn.Clone();
        c._lastValue = (long[])_lastValue.Clone();
        c._lastView = (long[])_lastView.Clone();
        return c;
    }
}
