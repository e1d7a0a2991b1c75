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
/// Arm's speculation of loads past a control dependency.
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

    int _pc;
    bool _started;
    RegisterValue[] _regs;
    RegisterValue _flagLeft = RegisterValue.Zero, _flagRight = RegisterValue.Zero;
    long _floor;      // no later load reads below this (DMB, acquire, ISB)
    long _ctrl;       // views of branch conditions and addresses so far: what ISB makes a floor
    long _loadsDone;  // the latest stamp a replied load counts as performed at
    int _tags;
    int _outstanding; // loads and RMWs not yet replied
    int _acquire = -1;
    bool _barrier;
    int _stores;
    int[] _lastOwn;   // per location: the count of this thread's latest plain store there (0: none or an RMW)
    long[] _lastValue, _lastView;

    public LitmusCpu(LitmusThread thread, string file, byte self, int locations)
    {
        _thread = thread;
        _file = file;
        _self = self;
        _regs = new RegisterValue[Registers];
        for (int r = 0; r < Registers; r++)
            _regs[r] = thread.InitialRegisters.TryGetValue(r, out long v) && r != Zr ? new RegisterValue.Known(v, 0) : RegisterValue.Zero;
        _lastOwn = new int[locations];
        _lastValue = new long[locations];
        _lastView = new long[locations];
    }

    public bool Finished => _started && _pc >= _thread.Code.Count && _outstanding == 0 && !_barrier;

    /// <summary>The final registers; only meaningful once <see cref="Finished"/>.</summary>
    public long[] FinalRegisters() => _regs.Select(r => r is RegisterValue.Known k ? k.Value : throw new InvalidOperationException("a register is still pending")).ToArray();

    public void Handle(in Message m, Outbox o)
    {
        switch (m.Kind)
        {
            case MessageKind.Start: _started = true; break;
            case MessageKind.LoadReply or MessageKind.RmwReply:
                int tag = (int)m.C;
                for (int r = 0; r < Registers; r++) _regs[r] = _regs[r].Resolve(tag, m.A, m.View);
                _flagLeft = _flagLeft.Resolve(tag, m.A, m.View);
                _flagRight = _flagRight.Resolve(tag, m.A, m.View);
                _outstanding--;
                _loadsDone = Math.Max(_loadsDone, m.View);
                if (_acquire == tag) { _acquire = -1; _floor = Math.Max(_floor, m.View); }
                break;
            case MessageKind.BarrierReply:
                _barrier = false;
                _floor = Math.Max(_floor, Math.Max(m.View, _loadsDone));
                break;
            default: throw new InvalidOperationException($"litmus thread cannot handle {m.Kind}");
        }
        while (Step(o)) { }
    }

    /// <summary>Executes the next instruction if nothing it needs is pending; false when the thread must wait or is done.</summary>
    bool Step(Outbox o)
    {
        if (_acquire >= 0 || _barrier || _pc >= _thread.Code.Count) return false;
        var i = _thread.Code[_pc];
        switch (i.Kind)
        {
            case InstrKind.Mov: Set(i.Rd, Operand(i.Op2, i.Wide)); break;
            case InstrKind.Eor or InstrKind.Add or InstrKind.Orr or InstrKind.And:
                Set(i.Rd, RegisterValue.Combine(i.Kind, Reg(i.Rn), Operand(i.Op2, i.Wide), i.Wide));
                break;
            case InstrKind.Cmp:
                _flagLeft = Reg(i.Rn);
                _flagRight = Operand(i.Op2, i.Wide);
                break;
            case InstrKind.Ldr or InstrKind.Ldar or InstrKind.Ldapr:
                if (!Address(i, out int loc, out long addrView)) return false;
                Load(o, i, loc, addrView);
                break;
            case InstrKind.Str or InstrKind.Stlr:
                if (!Address(i, out loc, out addrView) || Reg(i.Rt) is not RegisterValue.Known data) return false;
                if (i.Kind == InstrKind.Stlr && _outstanding > 0) return false;
                Store(o, i, loc, addrView, data);
                break;
            case InstrKind.Dmb:
                if (i.Barrier != BarrierKind.St && _outstanding > 0) return false;
                if (i.Barrier == BarrierKind.St) o.StoreFence();
                else if (i.Barrier == BarrierKind.Ld) _floor = Math.Max(_floor, _loadsDone);
                else
                {
                    o.Send(LitmusExplorer.MemoryActor, MessageKind.Barrier, DelayClass.Request, Ordering.AfterStores);
                    _barrier = true;
                }
                break;
            case InstrKind.Isb: _floor = Math.Max(_floor, _ctrl); break;
            case InstrKind.Cbz or InstrKind.Cbnz:
                if (Reg(i.Rt) is not RegisterValue.Known c) return false;
                _ctrl = Math.Max(_ctrl, c.View);
                _pc = (c.Value == 0) == (i.Kind == InstrKind.Cbz) ? i.Target : _pc + 1;
                return true;
            case InstrKind.B:
                _pc = i.Target;
                return true;
            case InstrKind.BCond:
                if (_flagLeft is not RegisterValue.Known l || _flagRight is not RegisterValue.Known r) return false;
                _ctrl = Math.Max(_ctrl, Math.Max(l.View, r.View));
                _pc = Holds(i.Cond, l.Value, r.Value) ? i.Target : _pc + 1;
                return true;
            case InstrKind.Cas or InstrKind.Swp or InstrKind.LdAdd or InstrKind.StAdd:
                if (!Rmw(o, i)) return false;
                break;
            default: throw new LitmusException(_file, i.Line, i.Text, "unsupported instruction");
        }
        _pc++;
        return true;
    }

    void Load(Outbox o, Instr i, int loc, long addrView)
    {
        int tag = ++_tags;
        _outstanding++;
        var order = _lastOwn[loc] != 0 ? Ordering.Forwards : Ordering.None;
        if (i.Kind == InstrKind.Ldar) order |= Ordering.AfterReleases;
        o.Send(LitmusExplorer.MemoryActor, MessageKind.Load, DelayClass.Request, order, loc, _lastView[loc], _lastValue[loc], tag,
            view: Math.Max(_floor, addrView), own: _lastOwn[loc]);
        Set(i.Rt, new RegisterValue.Pending(tag, i.Wide));
        if (i.Kind is InstrKind.Ldar or InstrKind.Ldapr) _acquire = tag;
    }

    void Store(Outbox o, Instr i, int loc, long addrView, RegisterValue.Known data)
    {
        long value = RegisterValue.Width(data.Value, i.Wide);
        long view = Math.Max(addrView, data.View);
        int own = ++_stores;
        _lastOwn[loc] = own;
        _lastValue[loc] = value;
        _lastView[loc] = view;
        var order = Ordering.IsStore | (i.Kind == InstrKind.Stlr ? Ordering.AfterStores | Ordering.Release : Ordering.None);
        o.Send(LitmusExplorer.MemoryActor, MessageKind.Store, DelayClass.Posted, order, loc, value, view: view, own: own);
    }

    /// <summary>CAS, SWP, LDADD, STADD: one atomic access with the A (acquire) and L (release) orderings of its form.</summary>
    bool Rmw(Outbox o, Instr i)
    {
        if (!Address(i, out int loc, out long addrView)) return false;
        if (Reg(i.Rs) is not RegisterValue.Known s) return false;
        RegisterValue.Known? t = null;
        if (i.Kind == InstrKind.Cas && (t = Reg(i.Rt) as RegisterValue.Known) is null) return false;
        if (i.Release && _outstanding > 0) return false;
        var kind = i.Kind switch { InstrKind.Cas => MessageKind.Cas, InstrKind.Swp => MessageKind.Swap, _ => MessageKind.FetchAdd };
        long a = RegisterValue.Width(s.Value, i.Wide), b = t is null ? 0 : RegisterValue.Width(t.Value, i.Wide);
        var order = Ordering.IsStore | (i.Release ? Ordering.AfterStores | Ordering.Release : Ordering.None) | (i.Acquire ? Ordering.AfterReleases : Ordering.None);
        int tag = ++_tags;
        _outstanding++;
        // Its written value depends on what it reads, so later loads of the location wait for it rather than forward from it.
        _lastOwn[loc] = 0;
        o.Send(LitmusExplorer.MemoryActor, kind, DelayClass.Request, order, loc, a, b, tag,
            view: Math.Max(_floor, addrView), own: ++_stores);
        // CAS puts the old value in Rs; SWP and LDADD in Rt; STADD nowhere.
        Set(i.Kind == InstrKind.Cas ? i.Rs : i.Kind == InstrKind.StAdd ? Zr : i.Rt, new RegisterValue.Pending(tag, i.Wide));
        if (i.Acquire) _acquire = tag;
        return true;
    }

    bool Address(Instr i, out int loc, out long view)
    {
        loc = -1;
        view = 0;
        if (Reg(i.Rn) is not RegisterValue.Known b || Operand(i.Op2, true) is not RegisterValue.Known off) return false;
        loc = LitmusValue.Location(b.Value + off.Value);
        if (loc < 0) throw new LitmusException(_file, i.Line, i.Text, "the address is no location of the test");
        view = Math.Max(b.View, off.View);
        _ctrl = Math.Max(_ctrl, view);
        return true;
    }

    static bool Holds(Cond c, long l, long r) => c switch
    {
        Cond.Eq => l == r,
        Cond.Ne => l != r,
        Cond.Lt => l < r,
        Cond.Le => l <= r,
        Cond.Gt => l > r,
        Cond.Ge => l >= r,
        _ => true,
    };

    RegisterValue Reg(int r) => r < 0 || r == Zr ? RegisterValue.Zero : _regs[r];

    RegisterValue Operand(in Operand op, bool wide) =>
        op.IsRegister ? Reg(op.Register) : new RegisterValue.Known(RegisterValue.Width(op.Immediate, wide), 0);

    void Set(int r, RegisterValue v)
    {
        if (r >= 0 && r != Zr) _regs[r] = v;
    }

    public void Hash(ref StateHasher h)
    {
        h.Add(_pc); h.Add(_started ? 1 : 0); h.Add(_floor); h.Add(_ctrl); h.Add(_loadsDone); h.Add(_tags); h.Add(_outstanding);
        h.Add(_acquire); h.Add(_barrier ? 1 : 0); h.Add(_stores);
        foreach (var r in _regs) r.Hash(ref h);
        _flagLeft.Hash(ref h);
        _flagRight.Hash(ref h);
        for (int l = 0; l < _lastOwn.Length; l++) { h.Add(_lastOwn[l]); h.Add(_lastValue[l]); h.Add(_lastView[l]); }
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
