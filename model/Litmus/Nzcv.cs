namespace SmmuActors.Model.Litmus;

/// <summary>
/// Arm's condition codes (Arm ARM C1.2.4). NV is read as AL: the architecture gives it AL's meaning.
/// <see cref="None"/> marks an instruction that takes no condition.
/// </summary>
public enum Cond { None, Eq, Ne, Cs, Cc, Mi, Pl, Vs, Vc, Hi, Ls, Ge, Lt, Gt, Le, Al }

/// <summary>
/// PSTATE.NZCV as a 4-bit value (N = 8, Z = 4, C = 2, V = 1), as the Arm ARM's pseudocode computes it: AddWithCarry
/// for ADDS, SUBS, CMP and CMN, the result's sign and zero for ANDS, BICS and TST (which clear C and V), and
/// ConditionHolds for what B.cond and the conditional selects read of it.
/// </summary>
public static class Nzcv
{
    public const long N = 8, Z = 4, C = 2, V = 1;

    /// <summary>The flags of AddWithCarry(x, y, carryIn) at 64 bits or (<paramref name="wide"/> false) 32.</summary>
    public static long AddWithCarry(long x, long y, bool carryIn, bool wide)
    {
        int bits = wide ? 64 : 32;
        ulong mask = wide ? ulong.MaxValue : uint.MaxValue;
        ulong ux = (ulong)x & mask, uy = (ulong)y & mask;
        int carry = carryIn ? 1 : 0;
        UInt128 unsignedSum = (UInt128)ux + uy + (uint)carry;
        Int128 signedSum = (Int128)Signed(ux, bits) + Signed(uy, bits) + carry;
        ulong result = (ulong)unsignedSum & mask;
        return Sign(result, bits) | (result == 0 ? Z : 0) | (unsignedSum != result ? C : 0) | (signedSum != Signed(result, bits) ? V : 0);
    }

    /// <summary>The flags of a logical result (ANDS, BICS): N and Z from it, C and V cleared.</summary>
    public static long Logical(long result, bool wide)
    {
        ulong r = wide ? (ulong)result : (uint)result;
        int bits = wide ? 64 : 32;
        return Sign(r, bits) | (r == 0 ? Z : 0);
    }

    static long Sign(ulong v, int bits) => (v >> (bits - 1) & 1) != 0 ? N : 0;

    static long Signed(ulong v, int bits) => bits == 64 ? (long)v : (int)(uint)v;

    /// <summary>ConditionHolds: whether <paramref name="c"/> holds of <paramref name="nzcv"/>.</summary>
    public static bool Holds(this Cond c, long nzcv)
    {
        bool n = (nzcv & N) != 0, z = (nzcv & Z) != 0, cf = (nzcv & C) != 0, v = (nzcv & V) != 0;
        return c switch
        {
            Cond.Eq => z, Cond.Ne => !z,
            Cond.Cs => cf, Cond.Cc => !cf,
            Cond.Mi => n, Cond.Pl => !n,
            Cond.Vs => v, Cond.Vc => !v,
            Cond.Hi => cf && !z, Cond.Ls => !(cf && !z),
            Cond.Ge => n == v, Cond.Lt => n != v,
            Cond.Gt => !z && n == v, Cond.Le => !(!z && n == v),
            Cond.Al => true,
            _ => throw new InvalidOperationException($"no condition {c}"),
        };
    }

    /// <summary>The opposite condition, as CSET, CSETM, CINC, CINV and CNEG encode theirs; AL has none.</summary>
    public static Cond Invert(this Cond c) => c switch
    {
        Cond.Eq => Cond.Ne, Cond.Ne => Cond.Eq, Cond.Cs => Cond.Cc, Cond.Cc => Cond.Cs, Cond.Mi => Cond.Pl, Cond.Pl => Cond.Mi,
        Cond.Vs => Cond.Vc, Cond.Vc => Cond.Vs, Cond.Hi => Cond.Ls, Cond.Ls => Cond.Hi, Cond.Ge => Cond.Lt, Cond.Lt => Cond.Ge,
        Cond.Gt => Cond.Le, Cond.Le => Cond.Gt,
        _ => throw new InvalidOperationException($"{c} has no opposite"),
    };

    /// <summary>A condition's name as the assembler takes it (HS and LO are CS's and CC's other names); null when none.</summary>
    public static Cond? Parse(string name) => name.ToUpperInvariant() switch
    {
        "EQ" => Cond.Eq, "NE" => Cond.Ne, "CS" or "HS" => Cond.Cs, "CC" or "LO" => Cond.Cc, "MI" => Cond.Mi, "PL" => Cond.Pl,
        "VS" => Cond.Vs, "VC" => Cond.Vc, "HI" => Cond.Hi, "LS" => Cond.Ls, "GE" => Cond.Ge, "LT" => Cond.Lt,
        "GT" => Cond.Gt, "LE" => Cond.Le, "AL" or "NV" => Cond.Al,
        _ => null,
    };
}
