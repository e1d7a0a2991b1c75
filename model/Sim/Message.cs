using System.Runtime.InteropServices;

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
    /// <summary>One of several replies a load may get (the writes it may read): delivering one discards the rest.</summary>
    Alternative = 4,
    /// <summary>A store-release: a later load-acquire (RCsc) of the sender waits for it.</summary>
    Release = 8,
    /// <summary>A load-acquire (LDAR, RCsc): delivered only after every earlier store-release of the sender.</summary>
    AfterReleases = 16,
    /// <summary>A load that carries its sender's latest store to the location (store forwarding), so it need not wait behind it.</summary>
    Forwards = 32,
    /// <summary>
    /// A store-exclusive's write (litmus): memory takes it only if the newest write to the location is still the one its
    /// load-exclusive read, named in B (aarch64.cat's atomicity); otherwise the execution that chose it does not exist.
    /// </summary>
    Exclusive = 64,
    /// <summary>
    /// A 4-byte read-modify-write (litmus): memory compares and computes at the location's low 32 bits, which is all a
    /// 4-byte access has, whatever the upper bits of its 64-bit value (an initial <c>int x=-1</c> is held sign-extended).
    /// </summary>
    Narrow = 128,
}

/// <summary>
/// One message in flight. A plain struct: the engine keeps them in arrays, no allocation per message. Laid out by the
/// runtime (the one-byte fields together): 80 bytes instead of 96, and the search copies the array with every state.
/// </summary>
[StructLayout(LayoutKind.Auto)]
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
    /// <summary>
    /// Armv8 loads (docs/model.md, "Memory model"): on a load, its floor, the stamp every access it must follow
    /// was performed by; on a store, the view of the loads its address and data came from; on a load's reply,
    /// the stamp it counts as performed at. Zero where the memory model plays no part.
    /// </summary>
    public long View;
    /// <summary>On a store, its sender's count of stores so far; on a forwarding load, the count of its sender's latest store to the location.</summary>
    public int Own;
    /// <summary>
    /// On a store and on a message flagged <see cref="Ordering.AfterStores"/>: how many store-releases its source reached
    /// before it in program order. A store-release held back (for the loads before it, or for its data) is sent after
    /// stores that follow it in program order, and <see cref="OrderingRules.AfterEarlierStores"/> puts it behind only the
    /// stores with no more releases before them, the ones before it. Zero from a source that sends in program order.
    /// Two bytes, so the message stays 80 bytes.
    /// </summary>
    public ushort Releases;
    /// <summary>
    /// On a thread's read of an SMMU register (a read or a wait), under loads=armv8: a fence follows it before the thread's
    /// next load, which orders the thread's later loads after the read (readl's dma_rmb, or a full barrier). The SMMU's
    /// answer tells memory its moment (<see cref="MessageKind.DeviceMark"/>), the point that fence orders those loads after
    /// (<see cref="WriteHistory.DeviceAnswered"/>). One byte, in the message's padding.
    /// </summary>
    public bool Marked;

    public override readonly string ToString() => $"#{Seq} {Src}->{Dst} {Kind} loc={Loc} a={A} b={B} c={C} t={Time}";
}
