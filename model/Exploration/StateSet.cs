namespace SmmuActors.Model.Exploration;

/// <summary>
/// The visited states of a search: 128-bit state hash to state id. Open addressing on the hash's first word,
/// which is already well mixed, over one flat array of entries: a probe touches one cache line, and there are
/// no entry objects and no comparer calls.
/// </summary>
sealed class StateSet
{
    struct Entry
    {
        public ulong A, B;
        public int Id;   // state id + 1; 0 marks a free slot
    }

    Entry[] _slots;
    int _count;

    /// <param name="capacity">Slots to start with, a power of two; it doubles as the set fills.</param>
    public StateSet(int capacity = 1 << 16) => _slots = new Entry[capacity];

    public int Count => _count;

    public bool TryGetValue((ulong, ulong) key, out int id)
    {
        var slots = _slots;
        int mask = slots.Length - 1;
        for (int i = (int)key.Item1 & mask; slots[i].Id != 0; i = (i + 1) & mask)
            if (slots[i].A == key.Item1 && slots[i].B == key.Item2) { id = slots[i].Id - 1; return true; }
        id = -1;
        return false;
    }

    int _touched;

    /// <summary>
    /// Loads the cache line <paramref name="key"/>'s probe starts at, with nothing waiting on the load: the probes of a
    /// state's successors then miss the cache together rather than one after another.
    /// </summary>
    public void Touch((ulong, ulong) key) => _touched ^= _slots[(int)key.Item1 & (_slots.Length - 1)].Id;

    /// <summary>Adds a key not present yet.</summary>
    public void Add((ulong, ulong) key, int id)
    {
        // At most half full, so probe runs stay short.
        if (2 * (_count + 1) > _slots.Length) Grow();
        Put(new Entry { A = key.Item1, B = key.Item2, Id = id + 1 });
        _count++;
    }

    void Put(in Entry e)
    {
        int mask = _slots.Length - 1;
        int i = (int)e.A & mask;
        while (_slots[i].Id != 0) i = (i + 1) & mask;
        _slots[i] = e;
    }

    void Grow()
    {
        var old = _slots;
        _slots = new Entry[old.Length * 2];
        foreach (var e in old)
            if (e.Id != 0) Put(e);
    }
}
