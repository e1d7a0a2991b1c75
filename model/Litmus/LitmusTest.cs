namespace SmmuActors.Model.Litmus;

/// <summary>
/// An AArch64 litmus test as herd7 reads it: initial registers and memory, one program per thread,
/// and a final condition. The parser (<c>LitmusParser</c>) builds it; <c>LitmusExplorer</c> runs it.
/// <see cref="Layout"/> says which locations the init block's names occupy (an array one per cell) and what address
/// each has; <see cref="InitialMemory"/> holds one value per location.
/// </summary>
public sealed record LitmusTest(
    string Name,
    string File,
    LitmusLayout Layout,
    IReadOnlyList<long> InitialMemory,
    IReadOnlyList<LitmusThread> Threads,
    LitmusCondition Condition,
    IReadOnlyList<LitmusObserved> Observed)
{
    /// <summary>Every location's name, by index (<see cref="LitmusLayout.Cells"/>).</summary>
    public IReadOnlyList<string> Locations => Layout.Cells;
}

/// <summary>One thread: its code (branch targets resolved to instruction indices) and initial registers (X0..X30).</summary>
public sealed record LitmusThread(int Index, IReadOnlyList<Instr> Code, IReadOnlyDictionary<int, long> InitialRegisters);

/// <summary>Values as registers and memory hold them: plain integers, or an address within a symbol of <see cref="LitmusLayout"/>.</summary>
public static class LitmusValue
{
    /// <summary>Addresses sit far above any integer a litmus test writes, so address arithmetic (x + 8) stays exact.</summary>
    public const long AddressBase = 1L << 40;

    /// <summary>The address of symbol <paramref name="symbol"/> (its first cell).</summary>
    public static long Address(int symbol) => AddressBase * (symbol + 1);
}

public enum InstrKind
{
    Mov,    // Rd <- Op2
    Ldr,    // Rt <- [Rn + Op2]
    Ldar,   // load-acquire (RCsc)
    Ldapr,  // load-acquire (RCpc)
    Str,    // [Rn + Op2] <- Rt
    Stlr,   // store-release
    Dmb,    // Barrier says which
    Isb,
    Alu,    // Rd <- Rn Alu Op2, and the flags too when SetsFlags (CMP, CMN and TST write XZR)
    Cbz, Cbnz, // branch to Target on Rt == 0 / != 0
    Tbz, Tbnz, // branch to Target on bit Op2 of Rt == 0 / != 0
    B,      // branch to Target
    BCond,  // branch to Target on Cond
    Cas,    // Rs (compare, receives old), Rt (new), [Rn]
    Swp,    // Rs (new), Rt (receives old), [Rn]
    LdOp,   // Rs (operand), Rt (receives old), [Rn] <- old Alu Rs: LDADD, LDEOR, LDCLR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN
    StOp,   // Rs (operand), [Rn] <- old Alu Rs: STADD, STEOR, ...: the LDop with XZR as Rt
    Nop,
    Csel,   // Rd <- Cond ? Rn : Op2 (a register)
    Csinc,  // Rd <- Cond ? Rn : Op2 + 1
    Csinv,  // Rd <- Cond ? Rn : NOT Op2
    Csneg,  // Rd <- Cond ? Rn : -Op2
    Ldxr,   // load-exclusive: Rt <- [Rn], and the thread's reservation of that location (LDAXR: Acquire, RCsc)
    Stxr,   // store-exclusive: [Rn] <- Rt if the reservation allows, Rs <- 0 if it wrote, 1 if not (STLXR: Release)
}

/// <summary>
/// A barrier's kind: SY/ISH/OSH/NSH are full and the LD forms order earlier loads, for DMB and DSB alike; DMB's ST
/// forms order store-store, DSB's (<see cref="DsbSt"/>) earlier stores before every later access (aarch64.cat's DSB-ob).
/// </summary>
public enum BarrierKind { None, Full, Ld, St, DsbSt }

/// <summary>
/// A register or an immediate. Register 31 is XZR/WZR (reads zero, writes vanish). A data-processing instruction's
/// register operand may be shifted (<c>W2, LSL #2</c>): by <see cref="Shift"/> and <see cref="Amount"/>, none when 0; an
/// extended one (<c>W2, SXTW #2</c>, an address's <c>[X1,W2,SXTW]</c>) is first extended by <see cref="Extend"/>, then shifted left.
/// </summary>
public readonly record struct Operand(bool IsRegister, int Register, long Immediate, AluOp Shift = default, int Amount = 0, Extension Extend = Extension.None)
{
    public static Operand Reg(int r) => new(true, r, 0);
    public static Operand Imm(long v) => new(false, -1, v);
}

/// <summary>
/// One instruction. Fields not used by a kind are -1 / default. <see cref="Wide"/> is false for W registers
/// (results truncated to 32 bits). <see cref="Acquire"/>/<see cref="Release"/> carry the A/L suffixes of
/// LDAR/STLR/CAS/SWP/LDop forms; <see cref="Line"/> is the source line for error messages. <see cref="PostIndex"/>
/// is a post-indexed LDR's or STR's increment (<c>[Xn],#imm</c>): Xn is written back with it after the access.
/// <see cref="Alu"/> is what an <see cref="InstrKind.Alu"/> computes, or an LDop or STop writes of the old value and Rs;
/// <see cref="SetsFlags"/> whether it writes NZCV.
/// </summary>
public sealed record Instr(
    InstrKind Kind,
    int Line,
    string Text,
    int Rd = -1,
    int Rn = -1,
    int Rs = -1,
    int Rt = -1,
    Operand Op2 = default,
    BarrierKind Barrier = BarrierKind.None,
    Cond Cond = Cond.None,
    int Target = -1,
    bool Acquire = false,
    bool Release = false,
    bool Wide = true,
    long PostIndex = 0,
    AluOp Alu = default,
    bool SetsFlags = false)
{
    /// <summary>
    /// The register an atomic puts the old value in: Rs for CAS, Rt for SWP and the LDop, XZR (none) for the STop. SWP and
    /// an LDop into XZR (and the STop) return nothing: aarch64.cat gives such a read neither acquire semantics nor a place
    /// in DMB LD's ordering ([R\NoRet]); herd's MP+rel+SWPacq-noret is Allowed.
    /// </summary>
    public int OldValueRegister => Kind == InstrKind.Cas ? Rs : Kind == InstrKind.StOp ? LitmusInstructions.Zero : Rt;

    /// <summary>How many bytes a memory access reads or writes: every access here is of a W register (4) or an X register (8).</summary>
    public int AccessBytes => Wide ? 8 : 4;

    /// <summary>
    /// A read aarch64.cat marks A (LDAR, LDAXR, and an acquire atomic's read when it returns a value: XA is in A,
    /// herd's AArch64Arch_herd.ml), which <c>[L]; po; [A]</c> orders after an earlier release; LDAPR is Q.
    /// </summary>
    public bool AcquireRcsc => Acquire && (Kind is InstrKind.Ldar or InstrKind.Ldxr || ReturnsOldValue);

    /// <summary>An atomic that puts the old value in a register.</summary>
    public bool ReturnsOldValue => Kind is InstrKind.Cas or InstrKind.Swp or InstrKind.LdOp && OldValueRegister != LitmusInstructions.Zero;
}

/// <summary>herd7's final conditions: <c>exists</c>, <c>~exists</c>, <c>forall</c>.</summary>
public enum Quantifier { Exists, NotExists, Forall }

public sealed record LitmusCondition(Quantifier Quantifier, Prop Prop);

/// <summary>A proposition over the final state.</summary>
public abstract record Prop
{
    public sealed record True : Prop;
    public sealed record False : Prop;
    /// <summary>Thread:register = value, or (Thread = -1) location = value. Value may be an address.</summary>
    public sealed record Atom(LitmusObserved What, long Value) : Prop;
    /// <summary>A whole array = a value per cell, herd's <c>x={1,0}</c>.</summary>
    public sealed record ArrayAtom(LitmusObserved What, IReadOnlyList<long> Values) : Prop;
    public sealed record Not(Prop Inner) : Prop;
    public sealed record And(Prop Left, Prop Right) : Prop;
    public sealed record Or(Prop Left, Prop Right) : Prop;
}

/// <summary>
/// Something the final state is printed and judged by: a thread's register, or a memory location (Thread -1), at the
/// C type the init block gives it (<see cref="ScalarType"/>). A whole array is <see cref="Cells"/> locations from
/// <see cref="Location"/>, shown as herd shows it (<c>x={1,2}</c>), null for anything else; one cell of it, named <c>v[1]</c>, has its
/// <see cref="Index"/> (herd's <c>Deref</c>, shown after the whole names).
/// </summary>
public sealed record LitmusObserved(int Thread, int Register, int Location, string Name, ScalarType Type = ScalarType.Int, int? Cells = null, int Index = -1);

/// <summary>One final state: every thread's registers (X0..X30) and every location's final value.</summary>
public sealed record LitmusFinal(IReadOnlyList<long[]> Registers, long[] Memory);

/// <summary>
/// What exploring a litmus test found: every distinct final state any allowed execution reaches, the
/// number of distinct search states, and why the search stopped short (null when it was exhausted).
/// </summary>
public sealed record LitmusRun(IReadOnlyList<LitmusFinal> Finals, long States, string? IncompleteReason);
