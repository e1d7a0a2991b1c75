using System.Numerics;
using System.Runtime.CompilerServices;

namespace SmmuActors.Model.Sim;

/// <summary>
/// A 128-bit streaming hash (two independent 64-bit lanes) over longs, stable across runs and
/// machines. Each word costs two multiplies on the hot path (every delivery is hashed); the lanes
/// are mixed thoroughly only when the value is read.
/// </summary>
public struct StateHasher
{
    ulong _a, _b;
    long _n;

    public StateHasher(ulong seed)
    {
        _a = 0x9E3779B97F4A7C15UL ^ seed;
        _b = 0xC2B2AE3D27D4EB4FUL + seed;
        _n = 0;
    }

    // Inlined even into the long hash methods, where the JIT's budget ran out: a call per word kept the hasher in memory.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long v)
    {
        _a = FirstLane(_a, v);
        _b = BitOperations.RotateLeft((_b + (ulong)v) * 0x4CF5AD432745937FUL, 33) ^ _a;
        _n++;
    }

    /// <summary>
    /// <see cref="Add"/> for a hasher only <see cref="First"/> is read from: the first lane alone, which is all First
    /// depends on (the same value, half the multiplies).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddToFirst(long v)
    {
        _a = FirstLane(_a, v);
        _n++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong FirstLane(ulong a, long v) => BitOperations.RotateLeft((a ^ (ulong)v) * 0x87C37B91114253D5UL, 31) + 0x52DCE729UL;

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// One element's word for an order-independent sum over a set's elements (the set's part of a state hash): each
    /// element is mixed first, so two different sets add up the same only by chance. A sum of the raw values, or of a
    /// multiple of them, is the same for sets whose values add up the same ({1, 4} and {2, 3}): states differing in
    /// such sets were merged as one.
    /// </summary>
    public static long Element(ulong seed, long v)
    {
        var h = new StateHasher(seed);
        h.AddToFirst(v);
        return (long)h.First;
    }

    public readonly (ulong, ulong) Value => (Mix(_a ^ (ulong)_n), Mix(_b + Mix(_a)));

    /// <summary>The first word of <see cref="Value"/> alone, for a sum of many small hashes.</summary>
    public readonly ulong First => Mix(_a ^ (ulong)_n);

    public readonly string Hex
    {
        get
        {
            var (a, b) = Value;
            return $"{a:x16}{b:x16}";
        }
    }
}
