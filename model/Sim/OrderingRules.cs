namespace SmmuActors.Model.Sim;

/// <summary>
/// The memory-ordering rules of the interconnect, one member per row of the ordering table in
/// docs/model.md. Each rule says when a message sent earlier by the same source must be delivered
/// before a later one; everything no rule orders may be overtaken, which is the reordering the model
/// explores. The untimed search delivers a message only once nothing it must follow is in flight
/// (<see cref="MustPrecede"/>); timed runs place it after everything it must follow (<see cref="Place"/>).
/// </summary>
public static class OrderingRules
{
    /// <summary>True when <paramref name="earlier"/>, sent before <paramref name="later"/>, must be delivered first.</summary>
    public static bool MustPrecede(in Message earlier, in Message later) =>
        earlier.Src == later.Src && earlier.Seq < later.Seq && earlier.Kind != MessageKind.Timer && later.Kind != MessageKind.Timer &&
        (Coherence(earlier, later) || AfterStoreFence(earlier, later) || AfterEarlierStores(earlier, later));

    /// <summary>Coherence (protocol.md §0.13): accesses of one source to one location (or one device) keep program order.</summary>
    public static bool Coherence(in Message earlier, in Message later) =>
        earlier.Dst == later.Dst && (earlier.Dst != 0 || earlier.Loc == later.Loc);

    /// <summary>dma_wmb, DMB OSHST (§4.1): a store after a store fence goes after every store before the fence.</summary>
    public static bool AfterStoreFence(in Message earlier, in Message later) =>
        IsStore(earlier) && IsStore(later) && earlier.Fence < later.Fence;

    /// <summary>Full barrier (smp_mb, dma_mb), store-release, writel's dma_wmb: after every earlier store of the source.</summary>
    public static bool AfterEarlierStores(in Message earlier, in Message later) =>
        IsStore(earlier) && (later.Order & Ordering.AfterStores) != 0;

    static bool IsStore(in Message m) => (m.Order & Ordering.IsStore) != 0;

    /// <summary>Timed form: the earliest time at or after <paramref name="t"/> that keeps <paramref name="m"/> behind every message in flight it must follow.</summary>
    public static long Place(in Message m, long t, ReadOnlySpan<Message> inFlight)
    {
        foreach (ref readonly var e in inFlight)
            if (MustPrecede(e, m)) t = Math.Max(t, e.Time + 1);
        return t;
    }
}
