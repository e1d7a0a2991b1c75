namespace SmmuActors.Model.Litmus;

/// <summary>
/// What a data-processing instruction computes of its two operands. Bic, Orn and Eon invert the second; the shifts
/// shift the first by the second (an operand's <c>LSL #n</c>). The Flags operations give the NZCV a flag-setting
/// instruction writes, as a value (<see cref="Nzcv"/>), so that flags still waiting for a load resolve like any register.
/// </summary>
public enum AluOp { Add, Sub, And, Bic, Orr, Orn, Eor, Eon, Lsl, Lsr, Asr, Ror, AddFlags, SubFlags, LogicalFlags }

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
            AluOp.AddFlags => Nzcv.AddWithCarry(a, b, false, wide),
            // Arm's subtraction is x + NOT(y) + 1.
            AluOp.SubFlags => Nzcv.AddWithCarry(a, ~b, true, wide),
            AluOp.LogicalFlags => Nzcv.Logical(a, wide),
            _ => throw new InvalidOperationException($"no arithmetic for {op}"),
        }, wide);
    }

    /// <summary>A register operand's value after its shift (none when <see cref="Operand.Amount"/> is 0).</summary>
    public static long Shifted(in Operand o, long v, bool wide) => o.Amount == 0 ? v : Apply(o.Shift, v, o.Amount, wide);
}
