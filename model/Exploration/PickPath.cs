namespace SmmuActors.Model.Exploration;

/// <summary>
/// How a pick among a state's enabled deliveries, or their number, is written in bytes: one byte below 255, else 255
/// and the value in two more (little-endian). A state rarely has more than a handful of enabled deliveries, but under
/// armv8 a spin's read may take any of dozens of writes, and one state of storm has 2,482 enabled deliveries, 2,478 of
/// them one load's read choices: a byte each failed there (an overflow, as an internal error), while the common case
/// keeps its one byte. A path (the partitioned search's work item, the walk <see cref="PrefixWalker"/> replays) is the
/// picks written one after another; paths are compared and shared by bytes, which groups equal prefixes whatever order
/// the bytes give picks of 255 and more.
/// </summary>
public static class PickPath
{
    const int Escape = 255;

    /// <summary>The most a pick or a number of choices can be: two bytes past the escape.</summary>
    public const int Max = ushort.MaxValue;

    /// <summary>Writes <paramref name="v"/> at the start of <paramref name="to"/> (room for 3 bytes); returns the bytes written.</summary>
    public static int Write(Span<byte> to, int v)
    {
        if (v is < 0 or > Max) throw new ArgumentOutOfRangeException(nameof(v), v, $"a pick or a number of choices is 0 to {Max}");
        if (v < Escape)
        {
            to[0] = (byte)v;
            return 1;
        }
        to[0] = Escape;
        to[1] = (byte)v;
        to[2] = (byte)(v >> 8);
        return 3;
    }

    /// <summary>Reads the value written at <paramref name="at"/> and moves past it.</summary>
    public static int Read(ReadOnlySpan<byte> from, ref int at)
    {
        int b = from[at++];
        if (b < Escape) return b;
        int v = from[at] | from[at + 1] << 8;
        at += 2;
        return v;
    }

    /// <summary><paramref name="parent"/>'s path with <paramref name="pick"/> after it.</summary>
    public static byte[] With(byte[] parent, int pick)
    {
        Span<byte> bytes = stackalloc byte[3];
        int n = Write(bytes, pick);
        var path = new byte[parent.Length + n];
        parent.CopyTo(path, 0);
        bytes[..n].CopyTo(path.AsSpan(parent.Length));
        return path;
    }

    /// <summary>The path of <paramref name="picks"/>, in order.</summary>
    public static byte[] Of(IEnumerable<long> picks)
    {
        var w = new PackedWriter();
        foreach (var p in picks) w.Pick(checked((int)p));
        return w.Take();
    }
}
