namespace SmmuActors.Model.Sim;

/// <summary>
/// The memory-ordering rules of the interconnect, one member per row of the ordering table in
/// docs/model.md. Given a message and the delay the strategy chose, they say the earliest time it
/// may be delivered; everything they do not hold back may be overtaken, which is the reordering the
/// model explores. State is per source (a CPU, the SMMU) and per (source, location) path.
/// </summary>
public sealed class OrderingRules
{
    readonly int _paths;
    readonly int _memoryLocations;
    readonly long[] _lastOnPath;   // [src * paths + path]: latest delivery time sent on that path
    readonly long[] _lastStore;    // per source: latest delivery time of any of its stores
    readonly long[] _storeFloor;   // per source: later stores go after this time (dma_wmb)

    public OrderingRules(int actors, int memoryLocations)
    {
        _memoryLocations = memoryLocations;
        _paths = memoryLocations + actors;
        _lastOnPath = new long[actors * _paths];
        _lastStore = new long[actors];
        _storeFloor = new long[actors];
    }

    /// <summary>The earliest delivery time of <paramref name="m"/>, asked for <paramref name="t"/>; records it.</summary>
    public long Place(in Message m, long t)
    {
        int path = m.Src * _paths + (m.Dst == 0 ? m.Loc : _memoryLocations + m.Dst);
        t = Coherence(path, t);
        if ((m.Order & Ordering.IsStore) != 0) t = AfterStoreFence(m.Src, t);
        if ((m.Order & Ordering.AfterStores) != 0) t = AfterEarlierStores(m.Src, t);
        _lastOnPath[path] = t;
        if ((m.Order & Ordering.IsStore) != 0) _lastStore[m.Src] = Math.Max(_lastStore[m.Src], t);
        return t;
    }

    /// <summary>Coherence (protocol.md §0.13): accesses of one source to one location (or one device) keep program order.</summary>
    long Coherence(int path, long t) => Math.Max(t, _lastOnPath[path] + 1);

    /// <summary>dma_wmb, DMB OSHST (§4.1): a store after the fence goes after every store before it.</summary>
    long AfterStoreFence(byte src, long t) => Math.Max(t, _storeFloor[src] + 1);

    /// <summary>Full barrier (smp_mb, dma_mb), store-release, writel's dma_wmb: after every earlier store of the source.</summary>
    long AfterEarlierStores(byte src, long t) => Math.Max(t, _lastStore[src] + 1);

    /// <summary>A store fence executed by <paramref name="src"/> (dma_wmb): a call, not a message.</summary>
    public void StoreFence(byte src) => _storeFloor[src] = Math.Max(_storeFloor[src], _lastStore[src]);

    /// <summary>Each source's pending fence relative to <paramref name="now"/>, for state hashing.</summary>
    public void Hash(ref StateHasher h, long now)
    {
        for (int a = 0; a < _storeFloor.Length; a++) h.Add(Math.Max(0, _storeFloor[a] - now));
    }
}
