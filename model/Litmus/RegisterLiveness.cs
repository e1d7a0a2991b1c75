namespace SmmuActors.Model.Litmus;

/// <summary>
/// Which registers an instruction reads and writes, and which registers (and the flags) are live before each
/// instruction of a thread: read on some path from there before they are written. Every register is live at the end,
/// since the final state shows them all. <see cref="LitmusCpu"/> uses it to tell a load whose value no later
/// instruction can read (docs/litmus.md, "Exclusives": how a retry loop closes).
/// </summary>
public static class RegisterLiveness
{
    /// <summary>The bit standing for NZCV in a liveness mask; bits 0-30 are X0-X30 (XZR is never live).</summary>
    public const ulong Flags = 1UL << 32;

    const ulong AllRegisters = (1UL << LitmusInstructions.Zero) - 1;

    /// <summary>The registers <paramref name="i"/> reads.</summary>
    public static IEnumerable<int> Reads(Instr i)
    {
        int op2 = i.Op2.IsRegister ? i.Op2.Register : -1;
        return i.Kind switch
        {
            InstrKind.Mov => [op2],
            InstrKind.Alu or InstrKind.Csel or InstrKind.Csinc or InstrKind.Csinv or InstrKind.Csneg => [i.Rn, op2],
            InstrKind.Ldr or InstrKind.Ldar or InstrKind.Ldapr or InstrKind.Ldxr => [i.Rn, op2],
            InstrKind.Str or InstrKind.Stlr or InstrKind.Stxr => [i.Rn, op2, i.Rt],
            InstrKind.Cbz or InstrKind.Cbnz or InstrKind.Tbz or InstrKind.Tbnz => [i.Rt],
            InstrKind.Cas => [i.Rn, i.Rs, i.Rt],
            InstrKind.Swp or InstrKind.LdOp or InstrKind.StOp => [i.Rn, i.Rs],
            _ => [],
        };
    }

    /// <summary>The registers <paramref name="i"/> writes, a post-indexed base included.</summary>
    static IEnumerable<int> Writes(Instr i)
    {
        IEnumerable<int> written = i.Kind switch
        {
            InstrKind.Mov or InstrKind.Alu or InstrKind.Csel or InstrKind.Csinc or InstrKind.Csinv or InstrKind.Csneg => [i.Rd],
            InstrKind.Ldr or InstrKind.Ldar or InstrKind.Ldapr or InstrKind.Ldxr => [i.Rt],
            InstrKind.Stxr => [i.Rs],
            InstrKind.Cas or InstrKind.Swp or InstrKind.LdOp or InstrKind.StOp => [i.OldValueRegister],
            _ => [],
        };
        return i.PostIndex != 0 ? [.. written, i.Rn] : written;
    }

    static ulong Mask(IEnumerable<int> registers) =>
        registers.Where(r => r is >= 0 and < LitmusInstructions.Zero).Aggregate(0UL, (m, r) => m | 1UL << r);

    /// <summary>Per instruction, the registers and flags live before it (<see cref="Flags"/> for NZCV).</summary>
    public static ulong[] LiveBefore(IReadOnlyList<Instr> code) => Before(code, AllRegisters);

    /// <summary>Per instruction, the registers and flags an instruction from it on may read before they are written: live, but not for the final state.</summary>
    public static ulong[] ReadBefore(IReadOnlyList<Instr> code) => Before(code, 0);

    static ulong[] Before(IReadOnlyList<Instr> code, ulong atEnd)
    {
        var live = new ulong[code.Count];
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int pc = code.Count - 1; pc >= 0; pc--)
            {
                var i = code[pc];
                ulong after = 0;
                foreach (int next in Successors(i, pc)) after |= next >= code.Count ? atEnd : live[next];
                bool readsFlags = i.Kind is InstrKind.BCond or InstrKind.Csel or InstrKind.Csinc or InstrKind.Csinv or InstrKind.Csneg;
                ulong before = after & ~Mask(Writes(i)) & ~(i.SetsFlags ? Flags : 0) | Mask(Reads(i)) | (readsFlags ? Flags : 0);
                if (before == live[pc]) continue;
                live[pc] = before;
                changed = true;
            }
        }
        return live;
    }

    /// <summary>Where control may go after <paramref name="i"/> at <paramref name="pc"/> (past the end: the thread ends).</summary>
    public static IEnumerable<int> Successors(Instr i, int pc) => i.Kind switch
    {
        InstrKind.B => [i.Target],
        InstrKind.Cbz or InstrKind.Cbnz or InstrKind.Tbz or InstrKind.Tbnz or InstrKind.BCond => [pc + 1, i.Target],
        _ => [pc + 1],
    };
}
