namespace SmmuActors.Grains.Execution;

/// <summary>
/// A growable array refilled at every call of a batch: what travels in <see cref="Contracts.Deliveries"/> and
/// <see cref="Contracts.Delivered"/>. The array itself is sent, so a call allocates nothing per delivery.
/// </summary>
public sealed class CallBuffer<T>
{
    public T[] Items { get; private set; } = new T[64];
    public int Count { get; private set; }

    public void Clear() => Count = 0;

    public void Add(in T item)
    {
        if (Count == Items.Length) Grow(Count + 1);
        Items[Count++] = item;
    }

    public void AddRange(ReadOnlySpan<T> items)
    {
        if (Count + items.Length > Items.Length) Grow(Count + items.Length);
        items.CopyTo(Items.AsSpan(Count));
        Count += items.Length;
    }

    void Grow(int needed)
    {
        var bigger = new T[Math.Max(needed, Items.Length * 2)];
        Items.AsSpan(0, Count).CopyTo(bigger);
        Items = bigger;
    }
}
