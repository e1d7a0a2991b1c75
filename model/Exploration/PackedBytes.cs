using System.Buffers.Binary;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// A growable byte buffer of small unsigned numbers (7 bits a byte) and raw bytes: the form in which the
/// partitioned search's batches and reports travel, so their size is what is measured, and small.
/// </summary>
public sealed class PackedWriter
{
    byte[] _bytes = new byte[256];

    public int Length { get; private set; }

    public void Number(long v)
    {
        if (v < 0) throw new ArgumentOutOfRangeException(nameof(v), v, "only numbers >= 0 are packed");
        Room(10);
        while (v >= 0x80)
        {
            _bytes[Length++] = (byte)(v | 0x80);
            v >>= 7;
        }
        _bytes[Length++] = (byte)v;
    }

    public void Byte(int v)
    {
        Room(1);
        _bytes[Length++] = checked((byte)v);
    }

    /// <summary>A pick or a number of choices (<see cref="PickPath"/>).</summary>
    public void Pick(int v)
    {
        Room(3);
        Length += PickPath.Write(_bytes.AsSpan(Length), v);
    }

    public void Bytes(ReadOnlySpan<byte> v)
    {
        Room(v.Length);
        v.CopyTo(_bytes.AsSpan(Length));
        Length += v.Length;
    }

    public void Hash((ulong, ulong) h)
    {
        Room(16);
        BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan(Length), h.Item1);
        BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan(Length + 8), h.Item2);
        Length += 16;
    }

    /// <summary>What was written, and an empty buffer for what comes next.</summary>
    public byte[] Take()
    {
        var done = _bytes.AsSpan(0, Length).ToArray();
        Length = 0;
        return done;
    }

    void Room(int n)
    {
        if (Length + n > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + n));
    }
}

/// <summary>Reads what a <see cref="PackedWriter"/> wrote, in the same order.</summary>
public struct PackedReader(byte[] bytes, int at = 0)
{
    public int At { get; private set; } = at;

    public readonly bool More => At < bytes.Length;

    public int Int() => checked((int)Number());

    public long Number()
    {
        long v = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = bytes[At++];
            v |= (long)(b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
    }

    public byte Byte() => bytes[At++];

    public int Pick()
    {
        int at = At;
        int v = PickPath.Read(bytes, ref at);
        At = at;
        return v;
    }

    public ReadOnlySpan<byte> Bytes(int n)
    {
        var s = bytes.AsSpan(At, n);
        At += n;
        return s;
    }

    public (ulong, ulong) Hash()
    {
        var h = (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(At)), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(At + 8)));
        At += 16;
        return h;
    }
}
