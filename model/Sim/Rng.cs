namespace SmmuActors.Model.Sim;

/// <summary>SplitMix64: tiny, fast and fixed forever, so a seed means the same run on any .NET version.</summary>
public struct Rng
{
    ulong _s;

    public Rng(ulong seed) => _s = seed;

    public ulong Next()
    {
        ulong z = _s += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n).</summary>
    public int Below(int n) => (int)((Next() >> 33) % (ulong)n);

    /// <summary>Uniform in [lo, hi].</summary>
    public long Range(long lo, long hi) => lo + (long)(Next() % (ulong)(hi - lo + 1));

    public double Unit() => (Next() >> 11) * (1.0 / (1UL << 53));
}
