namespace SmmuActors.Model.Litmus;

/// <summary>
/// Uses of atomics and of CSEL that the explorer would answer more strongly than Armv8 allows, or where the
/// catalogue's verdicts rest on dependencies it does not follow, so it refuses the test (exit 2) before exploring
/// rather than give a wrong verdict (docs/litmus.md, "What the explorer refuses"):
/// <list type="bullet">
/// <item>what a CAS returns, used as an address, a stored value, a branch condition or an atomic's operand: herd's
/// catalogue gives it no address dependency on the CAS's read when the CAS succeeds (MP+rel+CAS-ok-MRs-addr Allowed)
/// where the explorer gives it one;</item>
/// <item>a plain LDR that may read the thread's own atomic write: the explorer performs it after the atomic, with
/// the atomic's place as its view, where aarch64.cat orders a read from an atomic's write only when it is an
/// acquire (<c>[range(rmw)]; rfi; [A|Q]</c> in <c>aob</c>).</item>
/// <item>what a CSEL chose by flags a read set, used as a stored value, a store's address, a branch condition or an
/// atomic's operand: herd's catalogue gives the flags no address dependency to a load (MP+rel+CSEL Allowed, as the
/// explorer has it) and lists no verdict for these uses (its MP+rel+CSEL-data is commented out), where the explorer
/// makes the store or branch wait for the flags.</item>
/// <item>a B.cond or conditional select that may read the flags before the thread sets them: Arm leaves NZCV UNKNOWN
/// at the start.</item>
/// <item>a scalar written both 4 and 8 bytes wide: it is one value here, where Arm's 4-byte write keeps the other 4 bytes
/// (mixed-size).</item>
/// </list>
/// A forward pass over each thread's code, through its branches, follows which registers may hold a value read from
/// memory or what a CAS returned; which hold a known constant (addresses come from
/// the init block); and which locations an atomic may have accessed so far.
/// </summary>
public static class LitmusLimits
{
    const int Registers = LitmusCpu.Registers;
    const int Zero = LitmusInstructions.Zero;

    const string Refused = "(docs/litmus.md, \"What the explorer refuses\")";

    /// <summary>Register masks of what may hold at one instruction, over every path to it; <see cref="FlagsSet"/>, whether every path set the flags.</summary>
    sealed record Facts(uint Read, uint Cas, uint Chosen, bool ReadFlags, bool CasFlags, bool ChosenFlags, bool FlagsSet, long?[] Constant,
        ulong Atomics, bool AtomicAnywhere)
    {
        public Facts Join(Facts o) => new(Read | o.Read, Cas | o.Cas, Chosen | o.Chosen, ReadFlags || o.ReadFlags,
            CasFlags || o.CasFlags, ChosenFlags || o.ChosenFlags, FlagsSet && o.FlagsSet,
            Constant.Zip(o.Constant, (a, b) => a == b ? a : null).ToArray(), Atomics | o.Atomics, AtomicAnywhere || o.AtomicAnywhere);

        public bool Same(Facts o) => Read == o.Read && Cas == o.Cas && Chosen == o.Chosen && ReadFlags == o.ReadFlags
            && CasFlags == o.CasFlags && ChosenFlags == o.ChosenFlags && FlagsSet == o.FlagsSet
            && Atomics == o.Atomics && AtomicAnywhere == o.AtomicAnywhere && Constant.SequenceEqual(o.Constant);
    }

    /// <summary>Throws <see cref="LitmusException"/> at the first instruction of <paramref name="test"/> the explorer cannot answer for.</summary>
    public static void Check(LitmusTest test)
    {
        var writes = new Writes();
        foreach (var thread in test.Threads) Check(thread, test.File, test.Layout, writes);
        writes.CheckOneWidth(test);
    }

    /// <summary>
    /// The widths each location is written at: its initial value when a 64-bit type holds more than 32 bits there, and
    /// each store or atomic whose address the pass knows (a location of -1: one it does not). A location is one value
    /// here, so a 4-byte write replaces all of it, where on Arm it replaces 4 of its bytes and keeps the rest: a
    /// location written at both widths is mixed-size, which the explorer does not have. (An access to an array cell or
    /// a pointer is already held to the cell's size, <see cref="LitmusLayout.Location"/>.)
    /// </summary>
    sealed class Writes
    {
        readonly Dictionary<int, (Instr? Narrow, Instr? Wide)> _at = [];

        public void Add(int location, Instr i)
        {
            var (narrow, wide) = _at.GetValueOrDefault(location);
            _at[location] = i.AccessBytes == 8 ? (narrow, wide ?? i) : (narrow ?? i, wide);
        }

        public void CheckOneWidth(LitmusTest test)
        {
            for (int loc = 0; loc < test.InitialMemory.Count; loc++)
            {
                var symbol = test.Layout.Symbols.First(s => s.First <= loc && loc < s.First + s.Cells);
                if (symbol.Kind != SymbolKind.Scalar) continue;
                bool wideStart = symbol.Type.Bytes() == 8 && (ulong)test.InitialMemory[loc] >> 32 != 0;
                var (narrow, wide) = _at.GetValueOrDefault(loc);
                var (anyNarrow, anyWide) = _at.GetValueOrDefault(-1);
                narrow ??= anyNarrow;
                if (narrow is null || wide is null && anyWide is null && !wideStart) continue;
                string by = wide is not null ? $"an 8-byte write ('{wide.Text}', line {wide.Line})"
                    : anyWide is not null ? $"an 8-byte write to an address not known before the run ('{anyWide.Text}', line {anyWide.Line})"
                    : $"its initial value {test.InitialMemory[loc]}, more than 32 bits of its {symbol.Type.Bytes()}-byte type";
                throw new LitmusException(test.File, narrow.Line, narrow.Text,
                    $"unsupported: a 4-byte write to {test.Locations[loc]}, which also has {by}: on Arm it keeps the other 4 bytes, "
                    + "a mixed-size access, which the explorer does not have (it holds each location as one value)");
            }
        }
    }

    /// <summary>Follows the facts through the thread's code, refusing at the first instruction it cannot answer for.</summary>
    static void Check(LitmusThread thread, string file, LitmusLayout layout, Writes writes)
    {
        var code = thread.Code;
        var constant = new long?[Registers];
        for (int r = 0; r < Registers; r++) constant[r] = r == Zero ? 0 : thread.InitialRegisters.GetValueOrDefault(r);
        if (code.Count == 0) return;
        var at = new Facts?[code.Count];
        at[0] = new Facts(0, 0, 0, false, false, false, false, constant, 0, false);
        var work = new Queue<int>([0]);
        while (work.Count > 0)
        {
            int pc = work.Dequeue();
            var after = Step(at[pc]!, code[pc], file, layout, writes);
            foreach (int next in RegisterLiveness.Successors(code[pc], pc))
            {
                if (next >= code.Count) continue;
                var joined = at[next] is { } old ? old.Join(after) : after;
                if (at[next] is { } known && known.Same(joined)) continue;
                at[next] = joined;
                work.Enqueue(next);
            }
        }
    }

    static Facts Step(Facts f, Instr i, string file, LitmusLayout layout, Writes writes)
    {
        uint read = f.Read, cas = f.Cas, chosen = f.Chosen;
        bool readFlags = f.ReadFlags, casFlags = f.CasFlags, chosenFlags = f.ChosenFlags, flagsSet = f.FlagsSet;
        var constant = (long?[])f.Constant.Clone();
        ulong atomics = f.Atomics;
        bool anywhere = f.AtomicAnywhere;

        static bool In(uint mask, int r) => r >= 0 && r != Zero && (mask & (1u << r)) != 0;
        bool Any(uint mask, params int[] regs) => regs.Any(r => In(mask, r));
        long? Value(Operand o) => o.IsRegister ? constant[o.Register] is { } v ? DataProcessing.Shifted(o, v, i.Wide) : null : o.Immediate;
        void Write(int r, long? value, bool fromMemory, bool fromCas = false, bool fromChoice = false)
        {
            if (r < 0 || r == Zero) return;
            uint bit = 1u << r;
            read = fromMemory ? read | bit : read & ~bit;
            cas = fromCas ? cas | bit : cas & ~bit;
            chosen = fromChoice ? chosen | bit : chosen & ~bit;
            constant[r] = value;
        }
        LitmusException Unsupported(string what) => new(file, i.Line, i.Text, $"unsupported: {what} {Refused}");
        // The location an access may touch: null when it is not known here.
        int? Location()
        {
            long? b = constant[i.Rn], o = Value(i.Op2);
            if (b is null || o is null) return null;
            int loc = layout.Location(b.Value + o.Value, i.AccessBytes, out _);
            return loc is >= 0 and < 64 ? loc : null;
        }

        bool select = i.Kind is InstrKind.Csel or InstrKind.Csinc or InstrKind.Csinv or InstrKind.Csneg;
        if ((select || i.Kind == InstrKind.BCond) && !flagsSet)
            throw Unsupported("reads the flags where this thread may not have set them (Arm leaves NZCV UNKNOWN at the start)");
        var uses = RegisterLiveness.Reads(i).ToArray();
        int op2 = i.Op2.IsRegister ? i.Op2.Register : -1;
        // An instruction that only computes a register or the flags passes such a value on rather than using it.
        bool computes = i.Kind is InstrKind.Mov or InstrKind.Alu || select;
        bool casUsed = !computes && (i.Kind == InstrKind.BCond ? casFlags : Any(cas, uses));
        if (casUsed) throw Unsupported("a value a CAS returned, used as an address, a stored value, a branch condition or an atomic's operand");
        bool choiceUsed = !computes && i.Kind is not (InstrKind.Ldr or InstrKind.Ldar or InstrKind.Ldapr or InstrKind.Ldxr)
            && (i.Kind == InstrKind.BCond ? chosenFlags : Any(chosen, uses));
        if (choiceUsed) throw Unsupported("a value a CSEL chose by flags a read set, used as a stored value, a store's address, a branch condition or an atomic's operand");

        switch (i.Kind)
        {
            case InstrKind.Mov:
                Write(i.Rd, Value(i.Op2), In(read, op2), In(cas, op2), fromChoice: In(chosen, op2));
                break;
            case InstrKind.Alu:
            {
                // EOR or SUB of a register with itself is diy's way to make a zero that depends on a read.
                long? l = constant[i.Rn], r = Value(i.Op2);
                long? v = i.Alu is AluOp.Eor or AluOp.Sub && op2 == i.Rn && i.Op2.Amount == 0 ? 0
                    : l is { } a && r is { } b ? DataProcessing.Apply(i.Alu, a, b, i.Wide)
                    : null;
                // Flags come from the operands (ADDS, SUBS) or from the result (ANDS, BICS), which comes from them.
                if (i.SetsFlags)
                {
                    readFlags = Any(read, i.Rn, op2);
                    casFlags = Any(cas, i.Rn, op2);
                    chosenFlags = Any(chosen, i.Rn, op2);
                    flagsSet = true;
                }
                Write(i.Rd, v, Any(read, i.Rn, op2), Any(cas, i.Rn, op2), fromChoice: Any(chosen, i.Rn, op2));
                break;
            }
            case InstrKind.Csel or InstrKind.Csinc or InstrKind.Csinv or InstrKind.Csneg:
            {
                // The flags choose the value: a read behind them counts as one behind the value.
                // A constant only when CSEL chooses between equal ones: an unknown value refuses more here, never less.
                Write(i.Rd, i.Kind == InstrKind.Csel && constant[i.Rn] == Value(i.Op2) ? constant[i.Rn] : null, Any(read, i.Rn, op2) || readFlags, Any(cas, i.Rn, op2) || casFlags,
                    fromChoice: Any(chosen, i.Rn, op2) || readFlags || chosenFlags);
                break;
            }
            case InstrKind.Str or InstrKind.Stlr:
                writes.Add(Location() ?? -1, i);
                if (i.PostIndex != 0) constant[i.Rn] = constant[i.Rn] + i.PostIndex;
                break;
            case InstrKind.Stxr:
                writes.Add(Location() ?? -1, i);
                // Its status depends on no read but those behind its address (herd's riscv_sc): no read's value.
                Write(i.Rs, null, fromMemory: false);
                break;
            case InstrKind.Ldr or InstrKind.Ldar or InstrKind.Ldapr or InstrKind.Ldxr:
                if (!i.Acquire && i.Kind is InstrKind.Ldr or InstrKind.Ldxr && (anywhere || atomics != 0 && (Location() is not { } loc || (atomics & (1ul << loc)) != 0)))
                    throw Unsupported("a plain load that may read this thread's own atomic write");
                Write(i.Rt, null, fromMemory: true);
                // A post-index writes the base back after the access.
                if (i.PostIndex != 0) constant[i.Rn] = constant[i.Rn] + i.PostIndex;
                break;
            case InstrKind.Cas or InstrKind.Swp or InstrKind.LdAdd or InstrKind.StAdd:
                int? touched = Location();
                if (touched is { } at) atomics |= 1ul << at;
                else anywhere = true;
                writes.Add(touched ?? -1, i);
                Write(i.OldValueRegister, null, fromMemory: true, fromCas: i.Kind == InstrKind.Cas);
                break;
        }
        return new Facts(read, cas, chosen, readFlags, casFlags, chosenFlags, flagsSet, constant, atomics, anywhere);
    }
}
