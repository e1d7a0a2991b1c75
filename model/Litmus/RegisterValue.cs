using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Litmus;

/// <summary>
/// What a litmus register holds while loads are still in flight: a known value with its view (the latest
/// stamp of the loads it was computed from: Arm's address/data dependencies are syntactic, so EOR W2,W0,W0
/// is 0 yet still carries W0's view), a load's pending result, or arithmetic or a conditional select over those. The
/// flags are such a value too (NZCV, <see cref="Nzcv"/>), so flags set from a load carry its view into what reads them.
/// Arithmetic on a pending value does not stall the thread; only what needs the value does (an address, a stored value, a branch).
/// </summary>
public abstract class RegisterValue
{
    public static readonly RegisterValue Zero = new Known(0, 0);

    /// <summary>
    /// A value with the reads it depends on: <see cref="View"/>, those it takes its value from (Arm's address and data
    /// dependencies); <see cref="Ctrl"/>, those that only chose it (a CSEL's flags: herd's catalogue has LB+rel+CSEL and
    /// MP+rel+CSEL Allowed, so they order neither a load it addresses nor through the unchosen operand), which a branch
    /// on it turns into a control dependency. A store waits for the value either way.
    /// </summary>
    public sealed class Known(long value, long view, long ctrl = 0) : RegisterValue
    {
        public long Value { get; } = value;
        public long View { get; } = view;
        public long Ctrl { get; } = ctrl;
    }

    /// <summary>
    /// A load's result to come; <see cref="Ctrl"/>, what only chose the thread's latest write to the location before it,
    /// which the load's value carries as control whatever write it reads (<c>lrs</c> is in <c>pick-dtrm</c>).
    /// </summary>
    public sealed class Pending(int tag, bool wide, long ctrl = 0) : RegisterValue
    {
        public int Tag { get; } = tag;
        public bool Wide { get; } = wide;
        public long Ctrl { get; } = ctrl;
    }

    public sealed class Computed(AluOp op, RegisterValue left, RegisterValue right, bool wide) : RegisterValue
    {
        public AluOp Op { get; } = op;
        public RegisterValue Left { get; } = left;
        public RegisterValue Right { get; } = right;
        public bool Wide { get; } = wide;
    }

    /// <summary>A conditional select: <see cref="IfTrue"/> when <see cref="Cond"/> holds of <see cref="Flags"/> (an NZCV value), else <see cref="IfFalse"/>.</summary>
    public sealed class Selected(Cond cond, RegisterValue flags, RegisterValue ifTrue, RegisterValue ifFalse, bool wide) : RegisterValue
    {
        public Cond Cond { get; } = cond;
        public RegisterValue Flags { get; } = flags;
        public RegisterValue IfTrue { get; } = ifTrue;
        public RegisterValue IfFalse { get; } = ifFalse;
        public bool Wide { get; } = wide;
    }

    /// <summary>
    /// What a CAS returns: <see cref="Old"/>, its read's reply, compared with <see cref="Compare"/>, its Rs. herd's
    /// <c>aarch64_cas</c> has a successful one take the register's data from Rs, the read only controlling it
    /// (<c>DataFromRRs</c>), or from the read (<c>DataFromRx</c>), and a failed one from the read. <see cref="FromRead"/>:
    /// the register takes the read's value and view whatever the comparison, as soon as the read answers (the second, or a
    /// failure); otherwise it waits for both and carries Rs's view, the read's as control, when they are equal (the first),
    /// the read's view when not. <see cref="Choice"/>: the tag of the alternatives that pick which (0 once picked).
    /// </summary>
    public sealed class Returned(RegisterValue old, RegisterValue compare, bool wide, int choice = 0, bool fromRead = false) : RegisterValue
    {
        public RegisterValue Old { get; } = old;
        public RegisterValue Compare { get; } = compare;
        public bool Wide { get; } = wide;
        public int Choice { get; } = choice;
        public bool FromRead { get; } = fromRead;
    }

    static RegisterValue Compared(RegisterValue old, RegisterValue compare, bool wide, int choice, bool fromRead)
    {
        if (choice == 0 && fromRead && old is Known r) return new Known(DataProcessing.Width(r.Value, wide), r.View, r.Ctrl);
        if (choice != 0 || fromRead || old is not Known o || compare is not Known c) return new Returned(old, compare, wide, choice, fromRead);
        long value = DataProcessing.Width(o.Value, wide);
        return value == DataProcessing.Width(c.Value, wide)
            ? new Known(value, c.View, Math.Max(c.Ctrl, Math.Max(o.View, o.Ctrl)))
            : new Known(value, o.View, o.Ctrl);
    }

    public static RegisterValue Combine(AluOp op, RegisterValue left, RegisterValue right, bool wide) =>
        left is Known l && right is Known r
            ? new Known(DataProcessing.Apply(op, l.Value, r.Value, wide), Math.Max(l.View, r.View), Math.Max(l.Ctrl, r.Ctrl))
            : new Computed(op, left, right, wide);

    /// <summary>A select's value once the flags and the chosen operand are known: the chosen one's value and view, the flags' as its control.</summary>
    public static RegisterValue Select(Cond cond, RegisterValue flags, RegisterValue ifTrue, RegisterValue ifFalse, bool wide)
    {
        if (flags is not Known f) return new Selected(cond, flags, ifTrue, ifFalse, wide);
        var chosen = cond.Holds(f.Value) ? ifTrue : ifFalse;
        return chosen is Known c
            ? new Known(DataProcessing.Width(c.Value, wide), c.View, Math.Max(c.Ctrl, Math.Max(f.View, f.Ctrl)))
            : new Selected(cond, flags, ifTrue, ifFalse, wide);
    }

    /// <summary>
    /// This value with load <paramref name="tag"/>'s result put in, or, where <paramref name="tag"/> is a CAS's
    /// <see cref="Returned.Choice"/>, its pick (<paramref name="value"/> 1: from the read); unchanged when it does not depend on it.
    /// </summary>
    public RegisterValue Resolve(int tag, long value, long view) => this switch
    {
        Pending p when p.Tag == tag => new Known(DataProcessing.Width(value, p.Wide), view, p.Ctrl),
        Computed c => Resolved(c, c.Left.Resolve(tag, value, view), c.Right.Resolve(tag, value, view)),
        Selected c => Select(c.Cond, c.Flags.Resolve(tag, value, view), c.IfTrue.Resolve(tag, value, view), c.IfFalse.Resolve(tag, value, view), c.Wide),
        Returned c when c.Choice == tag => Compared(c.Old, c.Compare, c.Wide, 0, value == 1),
        Returned c => Compared(c.Old.Resolve(tag, value, view), c.Compare.Resolve(tag, value, view), c.Wide, c.Choice, c.FromRead),
        _ => this,
    };

    /// <summary>This value with load <paramref name="tag"/>'s result to come carrying <paramref name="ctrl"/> as control (<see cref="Pending.Ctrl"/>).</summary>
    public RegisterValue Controlled(int tag, long ctrl) => this switch
    {
        Pending p when p.Tag == tag => new Pending(tag, p.Wide, Math.Max(p.Ctrl, ctrl)),
        Computed c => new Computed(c.Op, c.Left.Controlled(tag, ctrl), c.Right.Controlled(tag, ctrl), c.Wide),
        Selected c => new Selected(c.Cond, c.Flags.Controlled(tag, ctrl), c.IfTrue.Controlled(tag, ctrl), c.IfFalse.Controlled(tag, ctrl), c.Wide),
        Returned c => new Returned(c.Old.Controlled(tag, ctrl), c.Compare.Controlled(tag, ctrl), c.Wide, c.Choice, c.FromRead),
        _ => this,
    };

    static RegisterValue Resolved(Computed c, RegisterValue left, RegisterValue right) =>
        ReferenceEquals(left, c.Left) && ReferenceEquals(right, c.Right) ? c : Combine(c.Op, left, right, c.Wide);

    public void Hash(ref StateHasher h)
    {
        switch (this)
        {
            case Known k: h.Add(1); h.Add(k.Value); h.Add(k.View); h.Add(k.Ctrl); break;
            case Pending p: h.Add(2); h.Add(p.Tag); h.Add(p.Wide ? 1 : 0); h.Add(p.Ctrl); break;
            case Computed c: h.Add(3); h.Add((long)c.Op); h.Add(c.Wide ? 1 : 0); c.Left.Hash(ref h); c.Right.Hash(ref h); break;
            case Selected c:
                h.Add(4); h.Add((long)c.Cond); h.Add(c.Wide ? 1 : 0);
                c.Flags.Hash(ref h); c.IfTrue.Hash(ref h); c.IfFalse.Hash(ref h);
                break;
            case Returned c:
                h.Add(5); h.Add(c.Wide ? 1 : 0); h.Add(c.Choice); h.Add(c.FromRead ? 1 : 0);
                c.Old.Hash(ref h); c.Compare.Hash(ref h);
                break;
        }
    }
}
