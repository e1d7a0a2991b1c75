namespace SmmuActors.Model.Exploration;

/// <summary>
/// The visited states of a search: 128-bit state hash to state id. Open addressing on the hash's first word,
/// which is already well mixed, in three flat arrays: no entry objects, no comparer calls, 20 bytes a slot.
/// </summary>
sealed class StateSet
{
    ulong[] _a = new ulong[1 << 16];
    ulong[] _b = new ulong[1 << 16];
    int[] _id = new int[1 << 16];   // state id + 1; 0 marks a free slot
    int _count;

    public int Count => _count;

    public bool TryGetValue((ulong, ulong) key, out int id)
    {
        int mask = _id.Length - 1;
        for (int i = (int)key.Item1 & mask; _id[i] != 0; i = (i + 1) & mask)
            if (_a[i] == key.Item1 && _b[i] == key.Item2) { id = _id[i] - 1; return true; }
        id = -1;
        return false;
    }

    /// <summary>Adds a key not present yet.</summary>
    public void Add((ulong, ulong) key, int id)
    {
        // At most half full, so probe runs stay short.
        if (2 * (_count + 1) > _id.Length) Grow();
        Put(key.Item1, key.Item2, id + 1);
        _count++;
    }

    void Put(ulong a, ulong b, int stored)
    {
        int mask = _id.Length - 1;
        int i = (int)a & mask;
        while (_id[i] != 0) i = (i + 1) & mask;
        _a[i] = a;
        _b[i] = b;
        _id[i] = stored;
    }

    void Grow()
    {
        var (a, b, id) = (_a, _b, _id);
        _a = new ulong[a.Length * 2];
        _b = new ulong[a.Length * 2];
        _id = new int[a.Length * 2];
        for (int i = 0; i < id.Length; i++)
            if (id[i] != 0) Put(a[i], b[i], id[i]);
    }
}
