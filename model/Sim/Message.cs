namespace SmmuActors.Model.Sim;

/// <summary>Ordering obligations a message carries into the interconnect (protocol.md §0.13).</summary>
[Flags]
public enum Ordering : byte
{
    None = 0,
    /// <summary>The message writes: later fences and barriers of its sender wait for it.</summary>
    IsStore = 1,
    /// <summary>Delivered only after every earlier store of the sender (barrier, release, writel).</summary>
    AfterStores = 2,
}

/// <summary>One message in flight. A plain struct: the engine keeps them in arrays, no allocation per message.</summary>
public struct Message
{
    public int Seq;
    public long SendTime;
    public long Time;
    public long Delay;
    public byte Src;
    public byte Dst;
    public MessageKind Kind;
    public DelayClass Class;
    public Ordering Order;
    public int Loc;
    public long A;
    public long B;
    public long C;
    /// <summary>How many store fences (dma_wmb) its source had executed when it was sent.</summary>
    public int Fence;

    public override readonly string ToString() => $"#{Seq} {Src}->{Dst} {Kind} loc={Loc} a={A} b={B} c={C} t={Time}";
}
