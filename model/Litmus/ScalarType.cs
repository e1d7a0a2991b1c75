using System.Globalization;

namespace SmmuActors.Model.Litmus;

/// <summary>
/// The C type a litmus test gives a register or location it observes (<c>int64_t 0:X1</c>, <c>uint32_t x</c>). herd7 and
/// litmus7 show and compare an observed value at its type, and the type is <c>int</c> when none is given: a W register
/// holding 0xFFFFFFFF is shown -1 and equals -1 (herd's A252), an X register holding 2^32 is shown 0 (herd's own example
/// in herdtools7 pull request 951), and a condition's constant is cast the same way (herd's A265: all ones equals 4294967295).
/// </summary>
public enum ScalarType { Int, UInt32, Int16, UInt16, Int8, UInt8, Int64, UInt64 }

public static class ScalarTypes
{
    /// <summary>
    /// The type a C type's words name (<c>int64_t</c>, <c>unsigned long</c>, <c>const int</c>); null for plain <c>char</c>,
    /// whose signedness C leaves to the platform.
    /// </summary>
    public static ScalarType? Parse(string words)
    {
        var w = words.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Where(x => x is not ("const" or "volatile")).ToArray();
        if (w.Length == 1 && w[0].EndsWith("_t", StringComparison.Ordinal))
        {
            bool unsigned = w[0].StartsWith('u');
            string bits = w[0].TrimStart('u')["int".Length..^"_t".Length];
            return (bits, unsigned) switch
            {
                ("8", false) => ScalarType.Int8, ("8", true) => ScalarType.UInt8,
                ("16", false) => ScalarType.Int16, ("16", true) => ScalarType.UInt16,
                ("32", false) => ScalarType.Int, ("32", true) => ScalarType.UInt32,
                (_, false) => ScalarType.Int64, (_, true) => ScalarType.UInt64, // int64_t, intptr_t
            };
        }
        bool isUnsigned = w.Contains("unsigned");
        if (w.Contains("char")) return w.Contains("signed") ? ScalarType.Int8 : isUnsigned ? ScalarType.UInt8 : null;
        if (w.Contains("short")) return isUnsigned ? ScalarType.UInt16 : ScalarType.Int16;
        if (w.Contains("long")) return isUnsigned ? ScalarType.UInt64 : ScalarType.Int64;
        return isUnsigned ? ScalarType.UInt32 : ScalarType.Int;
    }

    /// <summary>The 64 bits <paramref name="v"/> as a value of the type: its low bits, sign- or zero-extended.</summary>
    public static long Cast(this ScalarType t, long v) => t switch
    {
        ScalarType.Int => (int)v,
        ScalarType.UInt32 => (uint)v,
        ScalarType.Int16 => (short)v,
        ScalarType.UInt16 => (ushort)v,
        ScalarType.Int8 => (sbyte)v,
        ScalarType.UInt8 => (byte)v,
        _ => v,
    };

    /// <summary>The type's size in bytes: an array cell's size (herd's <c>size_of</c>; int is 4 bytes on AArch64).</summary>
    public static int Bytes(this ScalarType t) => t switch
    {
        ScalarType.Int8 or ScalarType.UInt8 => 1,
        ScalarType.Int16 or ScalarType.UInt16 => 2,
        ScalarType.Int or ScalarType.UInt32 => 4,
        _ => 8,
    };

    /// <summary>A value of the type in decimal: a uint64_t's top bit is a value, not a sign.</summary>
    public static string Show(this ScalarType t, long v) =>
        t == ScalarType.UInt64 ? ((ulong)v).ToString(CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);
}
