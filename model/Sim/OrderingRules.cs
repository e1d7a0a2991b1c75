namespace SmmuActors.Model.Sim;

/// <summary>
/// The memory-ordering rules of the interconnect, one member per row of the ordering table in
/// docs/model.md. Each rule says when a message sent earlier by the same source must be delivered
/// before a later one; everything no rule orders may be overtaken, which is the reordering the model
/// explores. The untimed search delivers a message only once nothing it must follow is in flight
/// (<see cref="MustPrecede"/>); timed runs place it after everything it must follow (<see cref="Place"/>).
/// Which write a load may read once delivered is the other half of the memory model: <see cref="WriteHistory"/>.
/// </summary>
public static class OrderingRules
{
    /// <summary>True when <paramref name="earlier"/>, sent before <paramref name="later"/>, must be delivered first.</summary>
    public static bool MustPrecede(in Message earlier, in Message later) =>
        earlier.Src == later.Src ? earlier.Seq < later.Seq && Ordered(earlier.Kind) && Ordered(later.Kind) &&
            (Coherence(earlier, later) || AfterStoreFence(earlier, later) || AfterEarlierStores(earlier, later) || AfterRelease(earlier, later))
        : ReadChosenFirst(earlier, later) || WrittenFirst(earlier, later) || AnsweredFirst(earlier, later);

    /// <summary>
    /// Coherence (protocol.md §0.13, Arm's internal axiom): accesses of one source to one location (or one device)
    /// keep program order — except that a load carrying its source's latest store to the location (store
    /// forwarding) need not wait for that store to be visible, nor for a load sent before that store (its
    /// <see cref="Message.Own"/> is older): the store waits for that load, so while the load is in flight the forwarding
    /// one reads the store, coherence-after whatever the earlier load reads, and aarch64.cat orders nothing between the
    /// two reads (rfi is not in ob; LB+pos-rfi-data+dmb.sy). A barrier's request to memory touches no location (its
    /// Loc 0 is no address): what it waits for is the rules' below, so readl's dma_rmb does not wait for a write of llq.
    /// </summary>
    public static bool Coherence(in Message earlier, in Message later) =>
        earlier.Dst == later.Dst && (earlier.Dst != 0 || earlier.Loc == later.Loc && earlier.Kind != MessageKind.Barrier && later.Kind != MessageKind.Barrier)
        && !(Forwards(later) && (IsStore(earlier) || earlier.Kind == MessageKind.Load && earlier.Own < later.Own));

    /// <summary>dma_wmb, DMB OSHST (§4.1): a store after a store fence goes after every store before the fence.</summary>
    public static bool AfterStoreFence(in Message earlier, in Message later) =>
        IsStore(earlier) && IsStore(later) && earlier.Fence < later.Fence;

    /// <summary>
    /// Full barrier (smp_mb, dma_mb), store-release, writel's dma_wmb: after every earlier store of the source, earlier in
    /// program order: a store sent ahead of a held-back store-release, which follows it in program order, counts the
    /// release among those before it (<see cref="Message.Releases"/>) and is not put behind it (<c>po; [L]</c> orders
    /// only what comes before the release).
    /// </summary>
    public static bool AfterEarlierStores(in Message earlier, in Message later) =>
        IsStore(earlier) && (later.Order & Ordering.AfterStores) != 0 && earlier.Releases <= later.Releases;

    /// <summary>A load-acquire (LDAR) after a store-release of its source: Arm's <c>[L]; po; [A]</c> in ob (RCsc).</summary>
    public static bool AfterRelease(in Message earlier, in Message later) =>
        (earlier.Order & Ordering.Release) != 0 && (later.Order & Ordering.AfterReleases) != 0;

    /// <summary>
    /// Coherence of reads (CoRR): a load waits until the write its source's previous load of the location reads is
    /// chosen, so it can read only that write or a newer one (<see cref="WriteHistory"/>).
    /// </summary>
    public static bool ReadChosenFirst(in Message earlier, in Message later) =>
        earlier.Kind == MessageKind.ReadChoice && later.Kind == MessageKind.Load && earlier.B == later.Src && earlier.Loc == later.Loc;

    /// <summary>
    /// Atomicity (aarch64.cat's `rmw & (fre; coe)` empty): while the write of another CPU's RMW is in flight
    /// (rmw-write=split), no other write reaches that location, so none lands between the RMW's read and its write; nor
    /// does a read choice that performs on the newest write there (a CAS taken earlier, or a spin, which may still end on
    /// the older write as one of its other choices).
    /// The same CPU's accesses there follow it by <see cref="Coherence"/>.
    /// </summary>
    public static bool WrittenFirst(in Message earlier, in Message later) =>
        earlier.Kind == MessageKind.RmwWrite && later.Dst == earlier.Dst && later.Loc == earlier.Loc
        && (IsStore(later) || later is { Kind: MessageKind.ReadChoice, A: WriteHistory.PerformNow });

    /// <summary>
    /// readl (§4.1, the kernel's <c>__iormb</c>): the dma_rmb after a device read orders later loads after that read, which
    /// the SMMU performed when it answered; its moment reaches memory as a <see cref="MessageKind.DeviceMark"/> for the
    /// reader (B), and the reader's barrier waits for it. The search delivers a mark at once (<see cref="Fabric.Enabled"/>);
    /// this keeps a timed run, where both may be due at one time, from taking the barrier first.
    /// </summary>
    public static bool AnsweredFirst(in Message earlier, in Message later) =>
        earlier.Kind == MessageKind.DeviceMark && later.Kind == MessageKind.Barrier && later.Src == earlier.B;

    /// <summary>Timers, memory's own read choices, the SMMU's marks and a litmus thread's ways (<see cref="IsWay"/>) are no accesses: no rule orders them by source.</summary>
    static bool Ordered(MessageKind k) => k is not (MessageKind.Timer or MessageKind.ReadChoice or MessageKind.DeviceMark) && !IsWay(k);

    /// <summary>
    /// The two alternatives a litmus thread sends itself where herd has two executions: a store-exclusive's outcomes, a
    /// CAS's register sources, a held-back load's ways, and the ways past a held-back CAS that may fail.
    /// </summary>
    public static bool IsWay(MessageKind k) => k is MessageKind.ExclusiveOutcome or MessageKind.CasSource or MessageKind.ForwardChoice or MessageKind.CasFails;

    static bool IsStore(in Message m) => (m.Order & Ordering.IsStore) != 0;

    static bool Forwards(in Message m) => (m.Order & Ordering.Forwards) != 0;

    /// <summary>Timed form: the earliest time at or after <paramref name="t"/> that keeps <paramref name="m"/> behind every message in flight it must follow.</summary>
    public static long Place(in Message m, long t, ReadOnlySpan<Message> inFlight)
    {
        foreach (ref readonly var e in inFlight)
            if (MustPrecede(e, m)) t = Math.Max(t, e.Time + 1);
        return t;
    }
}
