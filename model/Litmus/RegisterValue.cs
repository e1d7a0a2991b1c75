using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Litmus;

/// <summary>
/// What a litmus register holds while loads are still in flight: a known value with its view (the latest
/// stamp of the loads it was computed from: Arm's address/data dependencies are syntactic, so EOR W2,W0,W0
/// is 0 yet still carries W0's view), a load's pending result, or arithmetic over those. Arithmetic on a
/// pending value does not stall the thread; only what needs the value does (an address, a stored value, a branch).
/// </summary>
public abstract class RegisterValue
{
    public static readonly RegisterValue Zero = new Known(0, 0);

    public sealed class Known(long value, long view) : RegisterValue
    {
        public long Value { get; } = value;
        public long View { get; } = view;
    }

    public sealed class Pending(int tag, bool wide) : RegisterValue
    {
        public int Tag { get; } = tag;
        public bool Wide { get; } = wide;
    }

    public sealed class Computed(InstrKind op, RegisterValue left, RegisterValue right, bool wide) : RegisterValue
    {
        public InstrKind Op { get; } = op;
        public RegisterValue Left { get; } = left;
        public RegisterValue Right { get; } = right;
        public bool Wide { get; } = wide;
    }

    public static RegisterValue Combine(InstrKind op, RegisterValue left, RegisterValue right, bool wide) =>
        left is Known l && right is Known r ? new Known(Apply(op, l.Value, r.Value, wide), Math.Max(l.View, r.View)) : new Computed(op, left, right, wide);

    public static long Width(long v, bool wide) => wide ? v : (long)(uint)v;

    static long Apply(InstrKind op, long a, long b, bool wide) => Width(op switch
    {
        InstrKind.Eor => a ^ b,
        InstrKind.Add => a + b,
        InstrKind.Orr => a | b,
        InstrKind.And => a & b,
        _ => throw new InvalidOperationException($"no arithmetic for {op}"),
    }, wide);

    /// <summary>This value with load <paramref name="tag"/>'s result put in; unchanged when it does not depend on it.</summary>
    public RegisterValue Resolve(int tag, long value, long view) => this switch
    {
        Pending p when p.Tag == tag => new Known(Width(value, p.Wide), view),
        Computed c => Resolved(c, c.Left.Resolve(tag, value, view), c.Right.Resolve(tag, value, view)),
        _ => this,
    };

    static RegisterValue Resolved(Computed c, RegisterValue left, RegisterValue right) =>
        ReferenceEquals(left, c.Left) && ReferenceEquals(right, c.Right) ? c : Combine(c.Op, left, right, c.Wide);

    public void Hash(ref StateHasher h)
    {
        switch (this)
        {
            case Known k: h.Add(1); h.Add(k.Value); h.Add(k.View); break;
            case Pending p: h.Add(2); h.Add(p.Tag); h.Add(p.Wide ? 1 : 0); break;
            case Computed c: h.Add(3); h.Add((long)c.Op); h.Add(c.Wide ? 1 : 0); c.Left.Hash(ref h); c.Right.Hash(ref h); break;
        }
    }
}
