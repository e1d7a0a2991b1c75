namespace SmmuActors.Model.Engine;

/// <summary>A 128-bit streaming hash (two independent 64-bit lanes) over longs; stable across runs and machines.</summary>
public struct StateHasher
{
    ulong _a, _b;

    public StateHasher(ulong seed)
    {
        _a = 0x9E3779B97F4A7C15UL ^ seed;
        _b = 0xC2B2AE3D27D4EB4FUL + seed;
    }

    public void Add(long v)
    {
        ulong x = (ulong)v;
        _a = Mix(_a ^ x) * 0xFF51AFD7ED558CCDUL;
        _b = Mix(_b + x + 0x165667B19E3779F9UL);
    }

    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public readonly (ulong, ulong) Value => (Mix(_a), Mix(_b ^ _a));

    public readonly string Hex
    {
        get
        {
            var (a, b) = Value;
            return $"{a:x16}{b:x16}";
        }
    }
}
