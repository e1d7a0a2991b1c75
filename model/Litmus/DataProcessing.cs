namespace SmmuActors.Model.Litmus;

/// <summary>
/// What a data-processing instruction computes of its two operands. Bic, Orn and Eon invert the second; the shifts
/// shift the first by the second (an operand's <c>LSL #n</c>); the bitfield moves (UBFM, SBFM) take immr and imms packed in the
/// second (<see cref="DataProcessing.Bitfield"/>), so the result's view is the source register's alone. The Flags operations give the NZCV a flag-setting
/// instruction writes, as a value (<see cref="Nzcv"/>), so that flags still waiting for a load resolve like any register.
/// SMax, SMin, UMax and UMin are the signed and unsigned maximum and minimum an LDSMAX ... LDUMIN writes.
/// </summary>
public enum AluOp { Add, Sub, And, Bic, Orr, Orn, Eor, Eon, Lsl, Lsr, Asr, Ror, Ubfm, Sbfm, AddFlags, SubFlags, LogicalFlags, SMax, SMin, UMax, UMin }

/// <summary>
/// An extended register operand's extension (the Arm ARM's ExtendReg): its low 8, 16 or 32 bits, zero- or sign-extended.
/// UXTX and SXTX take all 64 bits, which is no extension.
/// </summary>
public enum Extension { None, Uxtb, Uxth, Uxtw, Sxtb, Sxth, Sxtw }

/// <summary>The values of <see cref="AluOp"/>s at 64 bits, or at 32 (W registers: operands read and results written as their low 32 bits).</summary>
public static class DataProcessing
{
    public static long Width(long v, bool wide) => wide ? v : (long)(uint)v;

    public static long Apply(AluOp op, long a, long b, bool wide)
    {
        a = Width(a, wide);
        b = Width(b, wide);
        int bits = wide ? 64 : 32;
        return Width(op switch
        {
            AluOp.Add => a + b,
            AluOp.Sub => a - b,
            AluOp.And => a & b,
            AluOp.Bic => a & ~b,
            AluOp.Orr => a | b,
            AluOp.Orn => a | ~b,
            AluOp.Eor => a ^ b,
            AluOp.Eon => a ^ ~b,
            AluOp.Lsl => a << (int)b,
            AluOp.Lsr => (long)((ulong)a >> (int)b),
            // a is the register's bits zero-extended: a W value's sign is bit 31.
            AluOp.Asr => (wide ? a : (int)a) >> (int)b,
            AluOp.Ror => b == 0 ? a : (long)((ulong)a >> (int)b) | a << (bits - (int)b),
            AluOp.Ubfm or AluOp.Sbfm => BitfieldMove(a, b, op == AluOp.Sbfm, bits),
            AluOp.AddFlags => Nzcv.AddWithCarry(a, b, false, wide),
            // Arm's subtraction is x + NOT(y) + 1.
            AluOp.SubFlags => Nzcv.AddWithCarry(a, ~b, true, wide),
            AluOp.LogicalFlags => Nzcv.Logical(a, wide),
            // The atomics' LDSMAX ... LDUMIN: a and b are zero-extended, so a W value's sign is bit 31.
            AluOp.SMax => wide ? Math.Max(a, b) : Math.Max((int)a, (int)b),
            AluOp.SMin => wide ? Math.Min(a, b) : Math.Min((int)a, (int)b),
            AluOp.UMax => (long)Math.Max((ulong)a, (ulong)b),
            AluOp.UMin => (long)Math.Min((ulong)a, (ulong)b),
            _ => throw new InvalidOperationException($"no arithmetic for {op}"),
        }, wide);
    }

    /// <summary>UBFM's and SBFM's immr and imms as the one immediate operand an <see cref="AluOp.Ubfm"/> or <see cref="AluOp.Sbfm"/> takes.</summary>
    public static long Bitfield(int immr, int imms) => immr | imms << 8;

    /// <summary>
    /// The Arm ARM's UBFM and SBFM: with imms &gt;= immr, bits imms..immr of the source go to bit 0 (LSR, UBFX); else bits
    /// imms..0 go to bit size - immr (LSL, UBFIZ). Bits below the field are zero; those above are zero or, for SBFM, the field's top bit.
    /// </summary>
    static long BitfieldMove(long source, long fields, bool signed, int size)
    {
        int immr = (int)(fields & 0xFF), imms = (int)(fields >> 8);
        int width = imms >= immr ? imms - immr + 1 : imms + 1, lsb = imms >= immr ? 0 : size - immr;
        // The field at the top of 64 bits, then shifted down to lsb: an arithmetic shift copies its top bit above it.
        ulong top = (ulong)source >> (imms >= immr ? immr : 0) << (64 - width);
        int down = 64 - width - lsb;
        return signed ? (long)top >> down : (long)(top >> down);
    }

    /// <summary>
    /// <paramref name="e"/> as the bitfield move that does it, at 64 bits (UXTW is UBFM #0,#31, SXTB SBFM #0,#7): its
    /// operation and the operand that operation takes. A W operation then reads the low 32 bits of it, as ExtendReg gives them.
    /// </summary>
    public static (AluOp Op, long Field) Extender(Extension e) =>
        (e is Extension.Sxtb or Extension.Sxth or Extension.Sxtw ? AluOp.Sbfm : AluOp.Ubfm,
            Bitfield(0, e switch { Extension.Uxtb or Extension.Sxtb => 7, Extension.Uxth or Extension.Sxth => 15, _ => 31 }));

    /// <summary>A register operand's value after its extension and its shift (none when <see cref="Operand.Amount"/> is 0).</summary>
    public static long Shifted(in Operand o, long v, bool wide)
    {
        if (o.Extend != Extension.None)
        {
            var (op, field) = Extender(o.Extend);
            v = Apply(op, v, field, true);
        }
        return o.Amount == 0 ? v : Apply(o.Shift, v, o.Amount, wide);
    }
}
