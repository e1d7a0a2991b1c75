namespace SmmuActors.Model.Sim;

/// <summary>
/// Which write a load may read: the other half of the Armv8 memory model next to <see cref="OrderingRules"/>
/// (docs/model.md, "Memory model"). Armv8 is other-multi-copy-atomic: a write becomes visible to every other
/// observer at one point, its stamp here, and stamps order each location's writes (coherence order). A load is
/// performed at some point no earlier than its floor — the latest stamp of any access it must follow (barriers,
/// acquires, dependencies) — so it may read any write that was the location's newest at some point from its floor
/// on, and no write older than what its source already read or wrote there. A load that reads its source's latest
/// store to the location is satisfied by forwarding: it counts as performed at its floor or at the view of the
/// store's address and data, whichever is later (Arm's <c>(addr|data); rfi</c> is in ob, <c>rfi</c> alone is not).
/// </summary>
public sealed class WriteHistory
{
    /// <summary>One write: its stamp, its value, who wrote it, the writer's store count, and its address/data view.</summary>
    public readonly record struct Write(long Stamp, long Value, byte Src, int Own, long View);

    /// <summary>A write a load may read, and the stamp the load counts as performed at if it does.</summary>
    public readonly record struct Readable(int Index, long Value, long Stamp, long Performed);

    List<Write>[] _writes;
    long _stamp;
    long[] _coherence;   // per source and location: the newest stamp it has read or written there
    long[] _lastWrite;   // per source: its newest write's stamp (a full barrier is performed after it)
    long[] _lastRelease; // per source: its newest store-release's stamp (a later LDAR is performed after it)

    public WriteHistory(IReadOnlyList<long> initial, int actors)
    {
        _writes = new List<Write>[initial.Count];
        for (int l = 0; l < initial.Count; l++) _writes[l] = [new Write(0, initial[l], byte.MaxValue, 0, 0)];
        _coherence = new long[actors * initial.Count];
        _lastWrite = new long[actors];
        _lastRelease = new long[actors];
    }

    public int Locations => _writes.Length;

    public long Current(int loc) => _writes[loc][^1].Value;

    public Write Newest(int loc) => _writes[loc][^1];

    public Write At(int loc, int index) => _writes[loc][index];

    public long LastWrite(byte src) => _lastWrite[src];

    /// <summary>Makes a write of <paramref name="value"/> by <paramref name="m"/>'s source visible to all; returns its stamp.</summary>
    public long Append(in Message m, long value)
    {
        long stamp = ++_stamp;
        _writes[m.Loc].Add(new Write(stamp, value, m.Src, m.Own, m.View));
        _lastWrite[m.Src] = stamp;
        if ((m.Order & Ordering.Release) != 0) _lastRelease[m.Src] = stamp;
        Saw(m.Src, m.Loc, stamp);
        return stamp;
    }

    /// <summary>Records that <paramref name="src"/> read or wrote the write stamped <paramref name="stamp"/> at <paramref name="loc"/>.</summary>
    public void Saw(byte src, int loc, long stamp)
    {
        ref long c = ref _coherence[src * _writes.Length + loc];
        c = Math.Max(c, stamp);
    }

    /// <summary>The load's floor: the stamp everything it must follow was performed by.</summary>
    public long Floor(in Message load) =>
        (load.Order & Ordering.AfterReleases) != 0 ? Math.Max(load.View, _lastRelease[load.Src]) : load.View;

    /// <summary>
    /// True when <paramref name="load"/> carries its source's latest store to the location and that store is not
    /// visible yet: the load reads it by forwarding, the only write coherence leaves it.
    /// </summary>
    public bool Forwarded(in Message load)
    {
        if ((load.Order & Ordering.Forwards) == 0 || load.Own == 0) return false;
        var ws = _writes[load.Loc];
        for (int i = ws.Count - 1; i >= 0; i--)
            if (ws[i].Src == load.Src && ws[i].Own == load.Own) return false;
        return true;
    }

    /// <summary>Every write <paramref name="load"/> (not forwarded) may read, oldest first.</summary>
    public void ReadableBy(in Message load, List<Readable> into)
    {
        into.Clear();
        var ws = _writes[load.Loc];
        long floor = Floor(load);
        int from = First(ws, floor, _coherence[load.Src * _writes.Length + load.Loc]);
        for (int i = from; i < ws.Count; i++)
        {
            var w = ws[i];
            bool own = (load.Order & Ordering.Forwards) != 0 && load.Own != 0 && w.Src == load.Src && w.Own == load.Own;
            into.Add(new Readable(i, w.Value, w.Stamp, own ? Math.Max(floor, w.View) : Math.Max(floor, w.Stamp)));
        }
    }

    /// <summary>The index of the oldest readable write: the newest at the floor, or the newest the source saw, whichever is later.</summary>
    static int First(List<Write> ws, long floor, long seen)
    {
        int atFloor = 0, atSeen = 0;
        for (int i = 0; i < ws.Count; i++)
        {
            if (ws[i].Stamp <= floor) atFloor = i;
            if (ws[i].Stamp <= seen) atSeen = i;
        }
        return Math.Max(atFloor, atSeen);
    }

    public void Hash(ref StateHasher h)
    {
        h.Add(_stamp);
        foreach (var ws in _writes)
        {
            h.Add(ws.Count);
            foreach (var w in ws) { h.Add(w.Stamp); h.Add(w.Value); h.Add(w.Src); h.Add(w.Own); h.Add(w.View); }
        }
        foreach (var c in _coherence) h.Add(c);
        foreach (var s in _lastWrite) h.Add(s);
        foreach (var s in _lastRelease) h.Add(s);
    }

    public WriteHistory Clone()
    {
        var c = (WriteHistory)MemberwiseClone();
        c._writes = _writes.Select(ws => new List<Write>(ws)).ToArray();
        c._coherence = (long[])_coherence.Clone();
        c._lastWrite = (long[])_lastWrite.Clone();
        c._lastRelease = (long[])_lastRelease.Clone();
        return c;
    }
}
