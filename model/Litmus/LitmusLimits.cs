namespace SmmuActors.Model.Litmus;

/// <summary>
/// Uses of atomics and of the flags, and waits of a thread, that the explorer would answer more strongly than Armv8 allows, or where the
/// catalogue's verdicts rest on dependencies it does not follow, so it refuses the test (exit 2) before exploring
/// rather than give a wrong verdict (docs/litmus.md, "What the explorer refuses"):
/// <list type="bullet">
/// <item>a plain LDR that may read the thread's own LDop's or STop's write: it takes it by forwarding, after what the
/// write's value comes from (<c>(addr | data); rfi</c>), which for an LDop is also its own read, by an edge herd calls
/// iico_data whose place in <c>data</c> is not checked (a SWP's or CAS's write, whose value comes from registers only, is
/// answered).</item>
/// <item>a B.cond or conditional select that may read the flags before the thread sets them: Arm leaves NZCV UNKNOWN
/// at the start.</item>
/// <item>a load, atomic or store-exclusive of a location an earlier store or atomic of the thread may still hold back
/// (an atomic <see cref="LitmusCpu.Splits"/> names among them, until its read is answered; not an acquire one whose write waits
/// for nothing else: the thread waits for its read, and the write is sent then),
/// with a store or atomic after it that no full barrier orders: the explorer performs the access only once that write goes
/// (a plain load held back with it, anything else stopping the thread), so a later write follows what the held-back one
/// waits for, where Arm orders the access after what the write's data comes from only (<c>(addr | data); rfi</c>); but a
/// plain load where the latest of those writes is a plain store's, which it takes as soon as its value is known, or
/// reads a later write of another thread after it (<see cref="LitmusCpu"/>'s DeferLoad), or where the only one is a split
/// CAS's without release, whose outcome it guesses, and a
/// load-acquire (LDAR, LDAXR) where that write is one plain store held for its own data
/// or as a release, which Arm orders after all that store waits for and before every later access.</item>
/// <item>a DMB ST or DSB ST after a CAS that waits for a read to know whether it writes (its Rs's, or its own when
/// another thread may write there), with a store or atomic after it (after DSB ST, any access) that no full barrier
/// orders: the barrier waits for that read, where a CAS that fails is a read only, which these barriers do not order.</item>
/// <item>a plain load of a location an earlier CAS of the thread may have failed on another thread's write (of a value other
/// than the one it compares with), with an access after it: herd's failing CAS may write back what it read, which such a
/// load may read without following the other thread's write; the explorer has no write-back.</item>
/// <item>a scalar written both 4 and 8 bytes wide: it is one value here, where Arm's 4-byte write keeps the other 4 bytes
/// (mixed-size).</item>
/// </list>
/// A forward pass over each thread's code, through its branches, follows which registers hold a known constant (addresses come from
/// the init block); which locations an atomic may have accessed so far; and what the explorer may be holding back
/// (<see cref="Holding"/>).
/// </summary>
public static class LitmusLimits
{
    const int Registers = LitmusCpu.Registers;
    const int Zero = LitmusInstructions.Zero;

    const string Refused = "(docs/litmus.md, \"What the explorer refuses\")";

    /// <summary>
    /// What may hold at one instruction, over every path to it: <see cref="FlagsSet"/>, whether every path set the flags;
    /// <see cref="Constant"/>, each register's value where every path gives it the same; <see cref="Ops"/>, the locations an LDop or STop of the thread may have written (<see cref="OpAnywhere"/>: one
    /// the pass does not know); <see cref="Cased"/>, the locations a CAS of the thread may have read with no write of the
    /// thread there since (its <c>Own</c>), and <see cref="Expected"/>, per location, the value that CAS compared with,
    /// where every path gives the same.
    /// </summary>
    /// <remarks>
    /// <c>RmwWrote</c>: locations an atomic or store-exclusive of the thread may have written (all of them for one the pass
    /// does not know); <c>CasAfterRmw</c>: those a CAS then touched, whose write-back, failing, would come between that write
    /// and a later acquire of the location.
    /// </remarks>
    sealed record Facts(bool FlagsSet, long?[] Constant, ulong Ops, bool OpAnywhere, Holding Hold, CasWait Cased, long?[] Expected,
        ulong RmwWrote = 0, ulong CasAfterRmw = 0)
    {
        public Facts Join(Facts o) => new(FlagsSet && o.FlagsSet,
            Constant.Zip(o.Constant, (a, b) => a == b ? a : null).ToArray(), Ops | o.Ops, OpAnywhere || o.OpAnywhere,
            Hold.Join(o.Hold), Cased.Join(o.Cased), Expected.Zip(o.Expected, (a, b) => a == b ? a : null).ToArray(),
            RmwWrote | o.RmwWrote, CasAfterRmw | o.CasAfterRmw);

        public bool Same(Facts o) => FlagsSet == o.FlagsSet && Ops == o.Ops && OpAnywhere == o.OpAnywhere && Constant.SequenceEqual(o.Constant)
            && Hold == o.Hold && Cased == o.Cased && Expected.SequenceEqual(o.Expected) && RmwWrote == o.RmwWrote && CasAfterRmw == o.CasAfterRmw;
    }

    /// <summary>
    /// What <see cref="LitmusCpu"/> may be waiting for at one instruction, over every path to it. <paramref name="Unknown"/>:
    /// registers that may still wait for a reply (a load's, an atomic's, a store-exclusive's outcome), and
    /// <paramref name="UnknownFlags"/> the flags; <paramref name="Held"/>: locations a held-back store or atomic may be
    /// still to write (<paramref name="HeldAnywhere"/>: one whose location the pass does not know; <paramref name="Compound"/>: those
    /// where it may be other than one plain store held for its own data or as a release: an atomic's, or a store's held
    /// behind another write to its location; <paramref name="NotStore"/>: those where the latest may be an atomic's or a
    /// store-exclusive's; <paramref name="NotSplitCas"/>: those where they may be other than one CAS's, split (its read gone) and
    /// no release, which a plain load after it passes where the CAS fails and otherwise takes its value, <see cref="LitmusCpu"/>'s
    /// guess), and
    /// <paramref name="Exclusive"/>, <paramref name="ExclusiveAnywhere"/> those of store-exclusives, which go as soon as they
    /// fail: <paramref name="Status"/> is the register that holds the status of the only one, if that is known; <paramref name="InFlight"/>:
    /// a load or atomic may be unanswered, which holds a release back; <paramref name="ForDmbSt"/> and <paramref name="ForDsbSt"/>:
    /// the reads those barriers would wait for even where a CAS fails; <paramref name="CasWrite"/>: locations of a CAS whose write
    /// waits for more than its own read (an Rs or Rt a read gives, or, as a release, earlier accesses), which a later write
    /// there queues behind (<paramref name="CasWriteAnywhere"/>: one whose location the pass does not know).
    /// </summary>
    readonly record struct Holding(uint Unknown, bool UnknownFlags, ulong Held, bool HeldAnywhere, ulong Compound, ulong NotStore, ulong Exclusive,
        bool ExclusiveAnywhere, uint Status, bool InFlight, CasWait ForDmbSt, CasWait ForDsbSt, ulong NotSplitCas = 0, ulong CasWrite = 0,
        bool CasWriteAnywhere = false)
    {
        public Holding Join(Holding o) => new(Unknown | o.Unknown, UnknownFlags || o.UnknownFlags, Held | o.Held, HeldAnywhere || o.HeldAnywhere,
            Compound | o.Compound, NotStore | o.NotStore, Exclusive | o.Exclusive, ExclusiveAnywhere || o.ExclusiveAnywhere,
            !o.AnyExclusive ? Status : !AnyExclusive || Status == o.Status ? o.Status : 0,
            InFlight || o.InFlight, ForDmbSt.Join(o.ForDmbSt), ForDsbSt.Join(o.ForDsbSt), NotSplitCas | o.NotSplitCas, CasWrite | o.CasWrite,
            CasWriteAnywhere || o.CasWriteAnywhere);

        /// <summary>Whether a write to <paramref name="loc"/> (null: not known here) may queue behind a CAS's write that waits for more than its read.</summary>
        public bool CasWriteAt(int? loc) => CasWriteAnywhere || (loc is { } l ? (CasWrite & 1ul << l) != 0 : CasWrite != 0);

        bool AnyExclusive => Exclusive != 0 || ExclusiveAnywhere;

        public bool AnyHeld => Held != 0 || HeldAnywhere || AnyExclusive;

        /// <summary>Whether a held-back write to <paramref name="loc"/> (null: a location the pass does not know) may be pending.</summary>
        public bool Holds(int? loc) => HeldAnywhere || ExclusiveAnywhere || (loc is { } l ? ((Held | Exclusive) & 1ul << l) != 0 : Held != 0 || Exclusive != 0);

        /// <summary>Whether a write held back at <paramref name="loc"/> can only be one plain store held for its own data or as a release.</summary>
        public bool OnlyStoreAt(int loc) => !HeldAnywhere && !ExclusiveAnywhere && ((Compound | Exclusive) & 1ul << loc) == 0;

        /// <summary>Whether the latest write held back at <paramref name="loc"/>, if any, can only be a plain store's.</summary>
        public bool LatestStoreAt(int loc) => !HeldAnywhere && !ExclusiveAnywhere && (NotStore & 1ul << loc) == 0;

        /// <summary>Whether the writes held back at <paramref name="loc"/>, if any, can only be one split CAS's without release.</summary>
        public bool OnlySplitCasAt(int loc) => !HeldAnywhere && !ExclusiveAnywhere && ((NotSplitCas | Exclusive) & 1ul << loc) == 0;

        /// <summary>After an access that waited for every held-back write to <paramref name="loc"/>.</summary>
        public Holding Written(int loc) => this with
        {
            Held = Held & ~(1ul << loc), Compound = Compound & ~(1ul << loc), NotStore = NotStore & ~(1ul << loc), NotSplitCas = NotSplitCas & ~(1ul << loc),
            CasWrite = CasWrite & ~(1ul << loc),
        };

        /// <summary>After a barrier that waits for every held-back write.</summary>
        public Holding Drained() => this with
        {
            Held = 0, HeldAnywhere = false, Compound = 0, NotStore = 0, Exclusive = 0, ExclusiveAnywhere = false, Status = 0, NotSplitCas = 0,
            CasWrite = 0, CasWriteAnywhere = false,
        };
    }

    /// <summary>
    /// What a barrier would wait for before it knows whether an earlier CAS writes: <paramref name="OtherRead"/>, a read
    /// other than the CAS's own (its Rs's; a non-returning one's Rt's or earlier accesses); <paramref name="Own"/>, the
    /// locations of the CAS's own reads (<paramref name="OwnAnywhere"/>: one the pass does not know), whose wait only
    /// another thread's write there can make seen.
    /// </summary>
    readonly record struct CasWait(bool OtherRead, ulong Own, bool OwnAnywhere)
    {
        public CasWait Join(CasWait o) => new(OtherRead || o.OtherRead, Own | o.Own, OwnAnywhere || o.OwnAnywhere);

        public CasWait With(bool otherRead, int? loc) =>
            new(OtherRead || otherRead, loc is { } l ? Own | 1ul << l : Own, OwnAnywhere || loc is null);
    }

    /// <summary>Throws <see cref="LitmusException"/> at the first instruction of <paramref name="test"/> the explorer cannot answer for.</summary>
    public static void Check(LitmusTest test)
    {
        var accesses = new Accesses();
        var casReads = new List<(LitmusThread Thread, Instr Barrier, CasWait Wait)>();
        var writeBacks = new List<(LitmusThread Thread, Instr Load, CasWait Cased, long? Compared, bool Acquire)>();
        foreach (var thread in test.Threads) Check(thread, test.File, test.Layout, accesses, casReads, writeBacks);
        foreach (var (thread, load, cased, compared, acquire) in writeBacks)
            if (accesses.ByAnother(thread.Index, cased.Own, cased.OwnAnywhere, otherThan: compared))
                throw new LitmusException(test.File, load.Line, load.Text, acquire
                    ? "unsupported: an acquire load of a location an earlier CAS of this thread may have failed on another thread's write, after "
                      + "an atomic or store-exclusive of the thread wrote it, with an access after it: herd's failing CAS may write back the value "
                      + "it read, which comes between that write and the acquire, so rmw; lrs; [A | Q] no longer orders the acquire after the "
                      + $"earlier atomic's read; the explorer has no such write-back {Refused}"
                    : "unsupported: a plain load of a location an earlier CAS of this thread may have failed on another thread's write (of a value "
                    + "other than the CAS compares with), with an access after it: herd's failing CAS may write back the value it read, and a "
                    + "load reading that write (rfi) does not follow the other thread's; the explorer has no such write-back, so its load "
                    + $"follows that write, and what is after it too {Refused}");
        // Known only once every thread's writes are: a failed CAS's own read waited for is seen only through another thread's write there.
        foreach (var (thread, barrier, wait) in casReads)
            if (accesses.ByAnother(thread.Index, wait.Own, wait.OwnAnywhere))
                throw new LitmusException(test.File, barrier.Line, barrier.Text,
                    $"unsupported: a {(barrier.Barrier == BarrierKind.DsbSt ? "DSB ST" : "DMB ST")} after a CAS whose read another thread's write may answer, "
                    + $"with {(barrier.Barrier == BarrierKind.DsbSt ? "an access" : "a store or atomic")} after it that no full barrier orders: "
                    + $"the explorer waits for that read to know whether the CAS writes, where a CAS that fails is a read only, which the barrier does not order {Refused}");
        accesses.CheckOneWidth(test);
    }

    /// <summary>
    /// Which threads may write each location, and the widths each location is written at: its initial value when a 64-bit
    /// type holds more than 32 bits there, and each store or atomic whose address the pass knows (a location of -1: one it
    /// does not). A location is one value
    /// here, so a 4-byte write replaces all of it, where on Arm it replaces 4 of its bytes and keeps the rest: a
    /// location written at both widths is mixed-size, which the explorer does not have. (An access to an array cell or
    /// a pointer is already held to the cell's size, <see cref="LitmusLayout.Location"/>.)
    /// </summary>
    sealed class Accesses
    {
        readonly Dictionary<int, (Instr? Narrow, Instr? Wide)> _at = [];
        readonly HashSet<(int Thread, int Location, long? Value)> _written = [];

        /// <param name="value">The value written where the pass knows it (null: not known).</param>
        public void Add(int location, Instr i, int thread, long? value)
        {
            var (narrow, wide) = _at.GetValueOrDefault(location);
            _at[location] = i.AccessBytes == 8 ? (narrow, wide ?? i) : (narrow ?? i, wide);
            _written.Add((thread, location, value));
        }

        /// <summary>
        /// Whether a thread but <paramref name="thread"/> may write one of <paramref name="locations"/> (<paramref name="anywhere"/>:
        /// any location), a value that may be other than <paramref name="otherThan"/> (null: any value).
        /// </summary>
        public bool ByAnother(int thread, ulong locations, bool anywhere, long? otherThan = null) =>
            _written.Any(w => w.Thread != thread && (otherThan is null || w.Value != otherThan)
                && (anywhere || w.Location < 0 || w.Location < 64 && (locations & 1ul << w.Location) != 0));

        public void CheckOneWidth(LitmusTest test)
        {
            for (int loc = 0; loc < test.InitialMemory.Count; loc++)
            {
                var symbol = test.Layout.Symbols.First(s => s.First <= loc && loc < s.First + s.Cells);
                if (symbol.Kind != SymbolKind.Scalar) continue;
                bool wideStart = symbol.Type.Bytes() == 8 && (ulong)test.InitialMemory[loc] >> 32 != 0;
                var (narrow, wide) = _at.GetValueOrDefault(loc);
                var (anyNarrow, anyWide) = _at.GetValueOrDefault(-1);
                string to = narrow is null ? $"an address not known before the run, which may be {test.Locations[loc]}" : test.Locations[loc];
                narrow ??= anyNarrow;
                if (narrow is null || wide is null && anyWide is null && !wideStart) continue;
                string by = wide is not null ? $"an 8-byte write ('{wide.Text}', line {wide.Line})"
                    : anyWide is not null ? $"an 8-byte write to an address not known before the run ('{anyWide.Text}', line {anyWide.Line})"
                    : $"its initial value {test.InitialMemory[loc]}, more than 32 bits of its {symbol.Type.Bytes()}-byte type";
                throw new LitmusException(test.File, narrow.Line, narrow.Text,
                    $"unsupported: a 4-byte write to {to}, which also has {by}: on Arm it keeps the other 4 bytes, "
                    + "a mixed-size access, which the explorer does not have (it holds each location as one value)");
            }
        }
    }

    /// <summary>Follows the facts through the thread's code, refusing at the first instruction it cannot answer for.</summary>
    static void Check(LitmusThread thread, string file, LitmusLayout layout, Accesses accesses, List<(LitmusThread, Instr, CasWait)> casReads,
        List<(LitmusThread, Instr, CasWait, long?, bool)> writeBacks)
    {
        var code = thread.Code;
        var (storeFrom, accessFrom) = Unordered(code);
        var splits = LitmusCpu.Splits(code);
        bool After(bool[] from, int pc) => RegisterLiveness.Successors(code[pc], pc).Any(n => n < code.Count && from[n]);
        var constant = new long?[Registers];
        for (int r = 0; r < Registers; r++) constant[r] = r == Zero ? 0 : thread.InitialRegisters.GetValueOrDefault(r);
        if (code.Count == 0) return;
        var at = new Facts?[code.Count];
        at[0] = new Facts(false, constant, 0, false, default, default, new long?[64]);
        var work = new Queue<int>([0]);
        while (work.Count > 0)
        {
            int pc = work.Dequeue();
            var i = code[pc];
            var after = Step(at[pc]!, i, file, layout, accesses, thread, After(storeFrom, pc), After(accessFrom, pc), splits[pc], casReads, writeBacks);
            foreach (int next in RegisterLiveness.Successors(i, pc))
            {
                if (next >= code.Count) continue;
                // A branch on a store-exclusive's status waits for its outcome; where it failed, LitmusCpu no longer holds it back.
                bool failed = i.Kind is InstrKind.Cbz or InstrKind.Cbnz && (after.Hold.Status & 1u << i.Rt) != 0
                    && (next == i.Target) == (i.Kind == InstrKind.Cbnz) && i.Target != pc + 1;
                var edge = failed ? after with { Hold = after.Hold with { Exclusive = 0, ExclusiveAnywhere = false, Status = 0 } } : after;
                var joined = at[next] is { } old ? old.Join(edge) : edge;
                if (at[next] is { } known && known.Same(joined)) continue;
                at[next] = joined;
                work.Enqueue(next);
            }
        }
    }

    /// <summary>
    /// For each instruction, whether from it (itself included) control may reach, before a full barrier orders it after
    /// everything earlier, a write (a store or atomic; not a store-release, which Arm orders after every earlier access),
    /// and whether an access (the same or a load).
    /// </summary>
    static (bool[] Store, bool[] Access) Unordered(IReadOnlyList<Instr> code)
    {
        var store = new bool[code.Count];
        var access = new bool[code.Count];
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int pc = code.Count - 1; pc >= 0; pc--)
            {
                var i = code[pc];
                bool writes = i.Kind is InstrKind.Str or InstrKind.Stxr or InstrKind.Cas or InstrKind.Swp or InstrKind.LdOp or InstrKind.StOp;
                bool reads = i.Kind is InstrKind.Ldr or InstrKind.Ldar or InstrKind.Ldapr or InstrKind.Ldxr;
                var next = RegisterLiveness.Successors(i, pc).Where(n => n < code.Count).ToArray();
                if (i is { Kind: InstrKind.Dmb, Barrier: BarrierKind.Full }) continue;
                bool s = writes || next.Any(n => store[n]), a = writes || reads || next.Any(n => access[n]);
                if (s == store[pc] && a == access[pc]) continue;
                (store[pc], access[pc], changed) = (s, a, true);
            }
        }
        return (store, access);
    }

    static Facts Step(Facts f, Instr i, string file, LitmusLayout layout, Accesses accesses, LitmusThread thread, bool storeAfter, bool accessAfter,
        bool split, List<(LitmusThread, Instr, CasWait)> casReads, List<(LitmusThread, Instr, CasWait, long?, bool)> writeBacks)
    {
        bool flagsSet = f.FlagsSet;
        var constant = (long?[])f.Constant.Clone();
        ulong ops = f.Ops;
        bool opAnywhere = f.OpAnywhere;
        var hold = f.Hold;
        var cased = f.Cased;
        var expected = f.Expected;
        ulong rmwWrote = f.RmwWrote, casAfterRmw = f.CasAfterRmw;
        // A write of the thread to loc: a later load of it reads that or a later write, no CAS's write-back.
        void Wrote(int? loc) { if (loc is { } l) cased = cased with { Own = cased.Own & ~(1ul << l) }; }

        static bool In(uint mask, int r) => r >= 0 && r != Zero && (mask & (1u << r)) != 0;
        bool Any(uint mask, params int[] regs) => regs.Any(r => In(mask, r));
        long? Value(Operand o) => o.IsRegister ? constant[o.Register] is { } v ? DataProcessing.Shifted(o, v, i.Wide) : null : o.Immediate;
        void Write(int r, long? value, bool unknown)
        {
            if (r < 0 || r == Zero) return;
            uint bit = 1u << r;
            hold = hold with { Unknown = unknown ? hold.Unknown | bit : hold.Unknown & ~bit, Status = hold.Status & ~bit };
            constant[r] = value;
        }
        LitmusException Unsupported(string what) => new(file, i.Line, i.Text, $"unsupported: {what} {Refused}");
        // The location an access may touch: null when it is not known here.
        int? Location()
        {
            long? b = constant[i.Rn], o = Value(i.Op2);
            if (b is null || o is null) return null;
            int loc = layout.Location(b.Value + o.Value, i.AccessBytes, out _);
            // The masks have a bit for each of the first 63 locations; a later one counts as not known here.
            return loc is >= 0 and < 63 ? loc : null;
        }
        // A held-back write to the location holds this access back until it goes (LitmusCpu.HeldBack), and the thread with it.
        void Stall(int? loc)
        {
            if (hold.Holds(loc) && storeAfter)
                throw Unsupported("an access of a location an earlier store or atomic of this thread may still hold back its write to, with a "
                    + "store or atomic after it that no full barrier orders: the explorer performs the access only once that write goes, so a later "
                    + "one follows what that write waits for (the read its data comes from, the accesses before a release, a split atomic's own read), "
                    + "where Arm orders this access after what the write's data comes from only ((addr | data); rfi)");
        }
        // A write after a CAS of its location whose write waits for more than the CAS's read: LitmusCpu keeps it behind that
        // write, where a CAS that fails writes nothing (herd's aarch64_cas_no) and Arm orders the later write after its read
        // alone (lws); a release's order comes with its write.
        void AfterCasWrite(int? loc)
        {
            // An address known here that names no location (or one past the first 63, which CasWriteAnywhere covers) is no alias.
            bool nowhere = loc is null && constant[i.Rn] is not null && Value(i.Op2) is not null && !hold.CasWriteAnywhere;
            if (!nowhere && hold.CasWriteAt(loc))
                throw Unsupported("a write to a location after a CAS of it whose write waits for more than its read (an Rs or Rt a read gives, "
                    + "or earlier accesses as a release), with no full barrier between: the explorer keeps the later write behind the CAS's, "
                    + "where a CAS that fails writes nothing and Arm orders the later write after its read alone");
        }
        // A write LitmusCpu holds back (Deferred) at location loc; sole: a plain store held for its own data or as a release;
        // store: a plain store's, which a plain load after it may take by forwarding; splitCas: a CAS's, split and no release.
        void Hold(int? loc, bool sole, bool store, bool splitCas = false) => hold = loc is { } l
            ? hold with
            {
                Held = hold.Held | 1ul << l,
                Compound = sole ? hold.Compound : hold.Compound | 1ul << l,
                NotStore = store ? hold.NotStore & ~(1ul << l) : hold.NotStore | 1ul << l,
                NotSplitCas = splitCas && (hold.Held & 1ul << l) == 0 ? hold.NotSplitCas : hold.NotSplitCas | 1ul << l,
            }
            : hold with { HeldAnywhere = true };
        bool Waits() => hold.InFlight || hold.AnyHeld;

        bool select = i.Kind is InstrKind.Csel or InstrKind.Csinc or InstrKind.Csinv or InstrKind.Csneg;
        if ((select || i.Kind == InstrKind.BCond) && !flagsSet)
            throw Unsupported("reads the flags where this thread may not have set them (Arm leaves NZCV UNKNOWN at the start)");
        int op2 = i.Op2.IsRegister ? i.Op2.Register : -1;

        switch (i.Kind)
        {
            case InstrKind.Mov:
                Write(i.Rd, Value(i.Op2), In(hold.Unknown, op2));
                break;
            case InstrKind.Alu:
            {
                // EOR or SUB of a register with itself is diy's way to make a zero that depends on a read.
                long? l = constant[i.Rn], r = Value(i.Op2);
                long? v = i.Alu is AluOp.Eor or AluOp.Sub && op2 == i.Rn && i.Op2 is { Amount: 0, Extend: Extension.None } ? 0
                    : l is { } a && r is { } b ? DataProcessing.Apply(i.Alu, a, b, i.Wide)
                    : null;
                // Flags come from the operands (ADDS, SUBS) or from the result (ANDS, BICS), which comes from them.
                if (i.SetsFlags)
                {
                    flagsSet = true;
                    hold = hold with { UnknownFlags = Any(hold.Unknown, i.Rn, op2) };
                }
                Write(i.Rd, v, Any(hold.Unknown, i.Rn, op2));
                break;
            }
            case InstrKind.Csel or InstrKind.Csinc or InstrKind.Csinv or InstrKind.Csneg:
            {
                // The flags choose the value: a reply they wait for is one the value waits for.
                // A constant only when CSEL chooses between equal ones: an unknown value refuses more here, never less.
                Write(i.Rd, i.Kind == InstrKind.Csel && constant[i.Rn] == Value(i.Op2) ? constant[i.Rn] : null,
                    Any(hold.Unknown, i.Rn, op2) || hold.UnknownFlags);
                break;
            }
            case InstrKind.Str or InstrKind.Stlr:
            {
                int? target = Location();
                AfterCasWrite(target);
                accesses.Add(target ?? -1, i, thread.Index, constant[i.Rt]);
                Wrote(target);
                // Held back for its data, as a release for earlier accesses, or behind a held-back write to its location.
                bool behind = hold.Holds(target);
                if (In(hold.Unknown, i.Rt) || i.Release && Waits() || behind) Hold(target, sole: !behind, store: true);
                if (i.PostIndex != 0) constant[i.Rn] = constant[i.Rn] + i.PostIndex;
                break;
            }
            case InstrKind.Stxr:
            {
                int? target = Location();
                Stall(target);
                AfterCasWrite(target);
                accesses.Add(target ?? -1, i, thread.Index, constant[i.Rt]);
                Wrote(target);
                rmwWrote |= target is { } written ? 1ul << written : ulong.MaxValue;
                // Its status depends on no read but those behind its address (herd's riscv_sc): no read's value, but it waits for the outcome.
                Write(i.Rs, null, unknown: true);
                // Held back until it knows whether it writes.
                bool only = hold.Exclusive == 0 && !hold.ExclusiveAnywhere;
                hold = target is { } l ? hold with { Exclusive = hold.Exclusive | 1ul << l, NotStore = hold.NotStore | 1ul << l } : hold with { ExclusiveAnywhere = true };
                hold = hold with { Status = only && i.Rs >= 0 && i.Rs != Zero ? 1u << i.Rs : 0 };
                break;
            }
            case InstrKind.Ldr or InstrKind.Ldar or InstrKind.Ldapr or InstrKind.Ldxr:
                // It takes an own atomic's write by forwarding, ordered after what the write takes its value from ((addr | data);
                // rfi). A SWP's and a CAS's come from registers only; an LDop's also from its own read, which herd relates to the
                // write by iico_data: whether that is data in (addr | data); rfi is not checked, so such a load is refused.
                if (!i.Acquire && i.Kind is InstrKind.Ldr or InstrKind.Ldxr && (opAnywhere || ops != 0 && (Location() is not { } loc || (ops & (1ul << loc)) != 0)))
                    throw Unsupported("a plain load that may read this thread's own LDADD's, LDEOR's, ... write (an LDop or STop)");
                // A load-acquire orders every later access after itself, and aarch64.cat orders before it all a plain store held
                // back at its location waits for: the read its data comes from (data; [Exp]; lrs, or, chosen by flags a read set,
                // pick-basic-dep; lob; [W] for the writes after it), the accesses before a release ([L]; po; [A]). A store
                // held behind another write there waits for that one's reasons too, which an lrs from the later write does not reach.
                if (i.AcquireRcsc && Location() is { } source && hold.OnlyStoreAt(source)) hold = hold.Written(source);
                // A plain load LitmusCpu holds back behind a plain store (DeferLoad) takes its value as soon as it is known, or
                // reads a later write once the store has gone: as on Arm, it waits only for what that value comes from. Behind
                // a split CAS it goes at once where the CAS fails, and where it writes takes its value once the CAS's read and
                // operands are in, as pick-dtrm orders what it writes after them (lrs).
                else if (i.Kind != InstrKind.Ldr || Location() is not { } read || !hold.LatestStoreAt(read) && !hold.OnlySplitCasAt(read)) Stall(Location());
                // An acquire (A or Q) follows the CAS's read whatever it reads (rmw; lrs; [A | Q]); a plain load of a write-back does not.
                if (i.Kind is InstrKind.Ldr or InstrKind.Ldxr && !i.Acquire && accessAfter
                    && (cased.OwnAnywhere || (Location() is { } loaded ? cased.Own & 1ul << loaded : cased.Own) != 0))
                    writeBacks.Add((thread, i, cased, Location() is { } compared ? expected[compared] : null, false));
                // But where an atomic or store-exclusive of the thread wrote the location before that CAS, the write-back comes
                // between the two, and lrs from the earlier write no longer reaches the acquire.
                else if (i.Acquire && accessAfter && (cased.OwnAnywhere && casAfterRmw != 0
                         || (Location() is { } acquired ? casAfterRmw & cased.Own & 1ul << acquired : casAfterRmw & cased.Own) != 0))
                    writeBacks.Add((thread, i, cased, Location() is { } compared ? expected[compared] : null, true));
                hold = hold with { InFlight = true };
                Write(i.Rt, null, unknown: true);
                // A post-index writes the base back after the access.
                if (i.PostIndex != 0) constant[i.Rn] = constant[i.Rn] + i.PostIndex;
                break;
            case InstrKind.Cas or InstrKind.Swp or InstrKind.LdOp or InstrKind.StOp:
            {
                int? touched = Location();
                Stall(touched);
                AfterCasWrite(touched);
                // Its read takes an own LDop's write as a plain load's would (above): whether herd's iico_data is data there is
                // not settled, and an atomic that is no acquire, which rmw; lrs; [A | Q] would order after the LDop's read, is
                // refused as the plain load is.
                if (!i.Acquire && (opAnywhere || ops != 0 && (touched is not { } own || (ops & (1ul << own)) != 0)))
                    throw Unsupported("an atomic, no acquire, that may read this thread's own LDADD's, LDEOR's, ... write (an LDop or STop)");
                if (i.Kind is InstrKind.LdOp or InstrKind.StOp && touched is { } at) ops |= 1ul << at;
                else if (i.Kind is InstrKind.LdOp or InstrKind.StOp) opAnywhere = true;
                // What it writes: a CAS its Rt (or, failing, what it read: a value some write there wrote), a SWP its Rs.
                accesses.Add(touched ?? -1, i, thread.Index, i.Kind switch { InstrKind.Cas => constant[i.Rt], InstrKind.Swp => constant[i.Rs], _ => null });
                bool isCas = i.Kind == InstrKind.Cas;
                ulong written = touched is { } t ? 1ul << t : ulong.MaxValue;
                if (isCas) casAfterRmw |= rmwWrote & written;
                rmwWrote |= written;
                if (isCas)
                {
                    cased = cased.With(false, touched);
                    // At a location the pass does not know, it may have compared any location with its Rs: none is known.
                    expected = touched is null ? new long?[expected.Length] : (long?[])expected.Clone();
                    if (touched is { } l) expected[l] = constant[i.Rs];
                }
                else Wrote(touched);
                bool rsUnknown = In(hold.Unknown, i.Rs);
                // Its write waits for an operand or, as a release, for earlier accesses, or it is split (LitmusCpu.Splits). Split,
                // an acquire that returns a value stops the thread until its read is answered, and its write, waiting for nothing
                // else, is sent then, before the thread goes on (LitmusCpu.Step): no later access waits for it.
                bool sentWithRead = i.Acquire && i.ReturnsOldValue && !hold.Holds(touched);
                bool held = rsUnknown || isCas && In(hold.Unknown, i.Rt) || i.Release && Waits() || split && !sentWithRead;
                // LitmusCpu.Rmw splits what waits and returns a value, or what Splits names; the rest it holds back whole.
                if (held) Hold(touched, sole: false, store: false, splitCas: isCas && !i.Release && (i.ReturnsOldValue || split));
                if (isCas)
                {
                    // Whether it writes waits for its Rs, for its own read when split, and, returning nothing, held back whole,
                    // for everything its write waits for; DSB ST waits for its own read in any case, and so does DMB ST for
                    // one performed whole at memory (the fence keeps later stores behind the atomic's message, LitmusCpu.Step),
                    // but one the thread waits for as an acquire, which orders every later access anyway ([A]; po).
                    bool other = rsUnknown || !i.ReturnsOldValue && !split && held;
                    // A release split (its read gone first) holds its write back, which a later write there passes where the
                    // thread guesses the CAS fails (LitmusCpu's Fails); one performed whole, returning nothing, has no such guess.
                    bool beyondRead = rsUnknown || In(hold.Unknown, i.Rt) || i.Release && !i.ReturnsOldValue && !split;
                    hold = hold with
                    {
                        CasWrite = beyondRead && touched is { } c ? hold.CasWrite | 1ul << c : hold.CasWrite,
                        CasWriteAnywhere = hold.CasWriteAnywhere || beyondRead && touched is null,
                        ForDmbSt = held ? hold.ForDmbSt.With(other, touched) : sentWithRead ? hold.ForDmbSt : hold.ForDmbSt.With(false, touched),
                        ForDsbSt = hold.ForDsbSt.With(other, touched),
                    };
                }
                hold = hold with { InFlight = true };
                Write(i.OldValueRegister, null, unknown: true);
                break;
            }
            case InstrKind.Dmb:
            {
                var wait = i.Barrier switch { BarrierKind.St => hold.ForDmbSt, BarrierKind.DsbSt => hold.ForDsbSt, _ => default };
                bool seen = i.Barrier == BarrierKind.DsbSt ? accessAfter : storeAfter;
                if (wait.OtherRead && seen)
                    throw Unsupported($"a {(i.Barrier == BarrierKind.DsbSt ? "DSB ST" : "DMB ST")} after a CAS whose Rs, or the operands of one "
                        + $"that returns nothing, may wait for a read, with {(i.Barrier == BarrierKind.DsbSt ? "an access" : "a store or atomic")} after it that no full barrier orders: "
                        + "the explorer waits for that read to know whether the CAS writes, where a CAS that fails is a read only, which the barrier does not order");
                if ((wait.Own != 0 || wait.OwnAnywhere) && seen) casReads.Add((thread, i, wait));
                // What each barrier waits for in LitmusCpu: a full one for everything, DMB ST for held-back writes, DSB ST also for atomics.
                hold = i.Barrier switch
                {
                    BarrierKind.Full => hold.Drained() with { InFlight = false, ForDmbSt = default, ForDsbSt = default },
                    BarrierKind.St => hold.Drained() with { ForDmbSt = default },
                    BarrierKind.DsbSt => hold.Drained() with { ForDmbSt = default, ForDsbSt = default },
                    _ => hold,
                };
                break;
            }
        }
        return new Facts(flagsSet, constant, ops, opAnywhere, hold, cased, expected, rmwWrote, casAfterRmw);
    }
}
