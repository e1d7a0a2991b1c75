using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Fast.Litmus;

/// <summary>
/// Builds litmus tests in code, without the herd7 parser, so the semantics are tested on their own. Locations
/// are x, y, z, w (indices 0..3); each thread gets X10..X13 holding their addresses.
/// </summary>
static class Shapes
{
    public static readonly string[] Locs = ["x", "y", "z", "w"];
    const int AddrReg = 10;

    static int L(string loc) => Array.IndexOf(Locs, loc);

    public static Instr Mov(int rd, long v) => new(InstrKind.Mov, 0, $"MOV X{rd},#{v}", Rd: rd, Op2: Operand.Imm(v));
    public static Instr StrReg(int rt, string loc, int offsetReg = 31) => new(InstrKind.Str, 0, $"STR X{rt},[{loc}]", Rn: AddrReg + L(loc), Rt: rt, Op2: Operand.Reg(offsetReg));
    public static Instr Stlr(int rt, string loc) => new(InstrKind.Stlr, 0, $"STLR X{rt},[{loc}]", Rn: AddrReg + L(loc), Rt: rt, Op2: Operand.Imm(0), Release: true);
    public static Instr Ldr(int rt, string loc, int offsetReg = 31) => new(InstrKind.Ldr, 0, $"LDR X{rt},[{loc}]", Rn: AddrReg + L(loc), Rt: rt, Op2: Operand.Reg(offsetReg));
    public static Instr Ldar(int rt, string loc) => new(InstrKind.Ldar, 0, $"LDAR X{rt},[{loc}]", Rn: AddrReg + L(loc), Rt: rt, Op2: Operand.Imm(0), Acquire: true);
    public static Instr Ldapr(int rt, string loc) => new(InstrKind.Ldapr, 0, $"LDAPR X{rt},[{loc}]", Rn: AddrReg + L(loc), Rt: rt, Op2: Operand.Imm(0), Acquire: true);
    public static Instr Dmb(BarrierKind k = BarrierKind.Full) => new(InstrKind.Dmb, 0, "DMB", Barrier: k);
    public static Instr Isb() => new(InstrKind.Isb, 0, "ISB");
    public static Instr Eor(int rd, int rn, int rm) => new(InstrKind.Alu, 0, "EOR", Rd: rd, Rn: rn, Op2: Operand.Reg(rm), Alu: AluOp.Eor);
    public static Instr Add(int rd, int rn, int rm) => new(InstrKind.Alu, 0, "ADD", Rd: rd, Rn: rn, Op2: Operand.Reg(rm), Alu: AluOp.Add);
    public static Instr Cbnz(int rt, int target) => new(InstrKind.Cbnz, 0, "CBNZ", Rt: rt, Target: target);
    public static Instr Swp(int rs, int rt, string loc, bool acq = false, bool rel = false) =>
        new(InstrKind.Swp, 0, "SWP", Rn: AddrReg + L(loc), Rs: rs, Rt: rt, Op2: Operand.Imm(0), Acquire: acq, Release: rel);
    public static Instr LdAdd(int rs, int rt, string loc) => new(InstrKind.LdOp, 0, "LDADD", Rn: AddrReg + L(loc), Rs: rs, Rt: rt, Op2: Operand.Imm(0), Alu: AluOp.Add);
    public static Instr Cas(int rs, int rt, string loc) => new(InstrKind.Cas, 0, "CAS", Rn: AddrReg + L(loc), Rs: rs, Rt: rt, Op2: Operand.Imm(0));

    /// <summary>A store of a constant: MOV X20,#v then STR X20.</summary>
    public static Instr[] St(long v, string loc) => [Mov(20, v), StrReg(20, loc)];

    public static LitmusTest Test(string name, params Instr[][] threads)
    {
        var init = new Dictionary<int, long>();
        for (int l = 0; l < Locs.Length; l++) init[AddrReg + l] = LitmusValue.Address(l);
        var ts = threads.Select((code, i) => new LitmusThread(i, code, init)).ToArray();
        return new LitmusTest(name, name + ".litmus", LitmusLayout.Scalars(Locs), new long[Locs.Length], ts,
            new LitmusCondition(Quantifier.Exists, new Prop.True()), []);
    }

    public static Instr[] Code(params object[] parts) =>
        parts.SelectMany(p => p switch { Instr i => [i], Instr[] a => a, _ => throw new ArgumentException() }).ToArray();

    /// <summary>True when some final state has these register values (thread, register, value).</summary>
    public static bool Reaches(LitmusRun run, params (int T, int R, long V)[] regs) =>
        run.Finals.Any(f => regs.All(x => f.Registers[x.T][x.R] == x.V));

    public static bool ReachesWith(LitmusRun run, Func<LitmusFinal, bool> p) => run.Finals.Any(p);
}
