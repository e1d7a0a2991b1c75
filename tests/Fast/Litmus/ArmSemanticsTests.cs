using SmmuActors.Model.Litmus;
using Xunit;
using static SmmuActors.Tests.Fast.Litmus.Shapes;

namespace SmmuActors.Tests.Fast.Litmus;

/// <summary>
/// The Armv8 semantics of litmus threads on the classic shapes, each verdict as Arm's model (aarch64.cat,
/// other-multi-copy-atomic) gives it; the herd7-format corpus in tests/litmus checks the same against its citations.
/// Each test asserts the allowed outcome is reached or the forbidden one is not, and the common outcomes besides,
/// so a model that reaches nothing cannot pass a "forbidden" test.
/// </summary>
[Trait("Suite", "Fast")]
public class ArmSemanticsTests
{
    static LitmusRun Run(params Instr[][] threads) => LitmusExplorer.Run(Test("t", threads), CancellationToken.None);

    // MP: P0 writes data x then flag y; P1 reads flag then data. Outcome of interest: flag 1, data 0.
    static LitmusRun Mp(Instr[] writerMiddle, Instr[] readerMiddle) =>
        Run(Code(St(1, "x"), writerMiddle, St(1, "y")), Code(Ldr(0, "y"), readerMiddle, Ldr(2, "x")));

    static bool Stale(LitmusRun r) => Reaches(r, (1, 0, 1), (1, 2, 0));

    static void Sane(LitmusRun r)
    {
        Assert.Null(r.IncompleteReason);
        Assert.True(Reaches(r, (1, 0, 1), (1, 2, 1)), "the in-order outcome must be reachable");
        Assert.True(Reaches(r, (1, 0, 0), (1, 2, 0)), "the reader-first outcome must be reachable");
    }

    [Fact]
    public void Mp_without_barriers_is_allowed()
    {
        var r = Mp([], []);
        Sane(r);
        Assert.True(Stale(r));
    }

    [Fact]
    public void Mp_with_barriers_on_both_sides_is_forbidden()
    {
        var r = Mp([Dmb()], [Dmb()]);
        Sane(r);
        Assert.False(Stale(r));
    }

    [Fact]
    public void Mp_with_a_barrier_on_the_writer_only_is_allowed_loads_reorder()
    {
        var r = Mp([Dmb()], []);
        Sane(r);
        Assert.True(Stale(r));
    }

    [Fact]
    public void Mp_with_dmb_st_and_dmb_ld_is_forbidden()
    {
        var r = Mp([Dmb(BarrierKind.St)], [Dmb(BarrierKind.Ld)]);
        Sane(r);
        Assert.False(Stale(r));
    }

    [Fact]
    public void Mp_with_an_address_dependency_is_forbidden()
    {
        // EOR X5,X0,X0 is 0 but depends on X0; the data load's address is x + X5.
        var r = Mp([Dmb()], [Eor(5, 0, 0)]);
        var addr = Run(Code(St(1, "x"), Dmb(), St(1, "y")), Code(Ldr(0, "y"), Eor(5, 0, 0), Ldr(2, "x", offsetReg: 5)));
        Sane(addr);
        Assert.False(Stale(addr));
        Assert.True(Stale(r), "the EOR alone orders nothing");
    }

    [Fact]
    public void Mp_with_a_control_dependency_is_allowed_but_with_isb_forbidden()
    {
        // CBNZ to the next instruction: both ways go on the same, as herd's ctrl tests do.
        var ctrl = Run(Code(St(1, "x"), Dmb(), St(1, "y")), Code(Ldr(0, "y"), Cbnz(0, 2), Ldr(2, "x")));
        Sane(ctrl);
        Assert.True(Stale(ctrl));
        var isb = Run(Code(St(1, "x"), Dmb(), St(1, "y")), Code(Ldr(0, "y"), Cbnz(0, 2), Isb(), Ldr(2, "x")));
        Sane(isb);
        Assert.False(Stale(isb));
    }

    [Fact]
    public void Mp_with_release_and_acquire_is_forbidden_and_with_ldapr_too()
    {
        var acq = Run(Code(St(1, "x"), Mov(20, 1), Stlr(20, "y")), Code(Ldar(0, "y"), Ldr(2, "x")));
        Sane(acq);
        Assert.False(Stale(acq));
        var pc = Run(Code(St(1, "x"), Mov(20, 1), Stlr(20, "y")), Code(Ldapr(0, "y"), Ldr(2, "x")));
        Sane(pc);
        Assert.False(Stale(pc));
        var relOnly = Run(Code(St(1, "x"), Mov(20, 1), Stlr(20, "y")), Code(Ldr(0, "y"), Ldr(2, "x")));
        Assert.True(Stale(relOnly));
    }

    // LB: each thread reads one location then writes the other; outcome both reads see 1.
    static bool BothOne(LitmusRun r) => Reaches(r, (0, 0, 1), (1, 0, 1));

    [Fact]
    public void Lb_is_allowed_without_barriers_and_with_one()
    {
        Assert.True(BothOne(Run(Code(Ldr(0, "x"), St(1, "y")), Code(Ldr(0, "y"), St(1, "x")))));
        Assert.True(BothOne(Run(Code(Ldr(0, "x"), Dmb(), St(1, "y")), Code(Ldr(0, "y"), St(1, "x")))));
    }

    [Fact]
    public void Lb_is_forbidden_with_barriers_or_data_dependencies_on_both_sides()
    {
        var dmbs = Run(Code(Ldr(0, "x"), Dmb(), St(1, "y")), Code(Ldr(0, "y"), Dmb(), St(1, "x")));
        Assert.False(BothOne(dmbs));
        Assert.True(Reaches(dmbs, (0, 0, 1), (1, 0, 0)));
        // data: store X0 EOR X0 plus 1, so the stored value depends on the load
        Instr[] Data(string from, string to) => [Ldr(0, from), Eor(5, 0, 0), Mov(6, 1), Add(7, 5, 6), StrReg(7, to)];
        var datas = Run(Data("x", "y"), Data("y", "x"));
        Assert.False(BothOne(datas));
        Assert.True(Reaches(datas, (0, 0, 1), (1, 0, 0)));
        var dataPo = Run(Data("x", "y"), Code(Ldr(0, "y"), St(1, "x")));
        Assert.True(BothOne(dataPo));
    }

    // SB: each writes one location and reads the other; outcome both read 0.
    [Fact]
    public void Sb_is_allowed_and_forbidden_with_full_barriers()
    {
        static bool BothZero(LitmusRun r) => Reaches(r, (0, 0, 0), (1, 0, 0));
        Assert.True(BothZero(Run(Code(St(1, "x"), Ldr(0, "y")), Code(St(1, "y"), Ldr(0, "x")))));
        var dmbs = Run(Code(St(1, "x"), Dmb(), Ldr(0, "y")), Code(St(1, "y"), Dmb(), Ldr(0, "x")));
        Assert.False(BothZero(dmbs));
        Assert.True(Reaches(dmbs, (0, 0, 1), (1, 0, 1)));
        // dmb.st orders no load
        Assert.True(BothZero(Run(Code(St(1, "x"), Dmb(BarrierKind.St), Ldr(0, "y")), Code(St(1, "y"), Dmb(BarrierKind.St), Ldr(0, "x")))));
    }

    [Fact]
    public void Sb_with_store_forwarding_is_allowed()
    {
        // SB+rfi-pos: each reads its own store first, then the other location: both see their own 1 and the other's 0.
        var r = Run(Code(St(1, "x"), Ldr(0, "x"), Ldr(1, "y")), Code(St(1, "y"), Ldr(0, "y"), Ldr(1, "x")));
        Assert.True(Reaches(r, (0, 0, 1), (0, 1, 0), (1, 0, 1), (1, 1, 0)));
        Assert.False(Reaches(r, (0, 0, 0)), "a thread never reads below its own store (CoWR)");
    }

    [Fact]
    public void A_forwarded_load_lets_its_dependents_pass_the_store_it_read()
    {
        // P0: x=1; r1=x (forwarded); r2=y with an address dependency on r1. P1: y=1; DMB; x=2.
        // r1=1, r2=0 with x ending 1 (P1's x=2 coherence-before P0's): allowed, since rfi is not in Arm's ob.
        var r = Run(Code(St(1, "x"), Ldr(1, "x"), Eor(5, 1, 1), Ldr(2, "y", offsetReg: 5)), Code(St(1, "y"), Dmb(), St(2, "x")));
        Assert.True(ReachesWith(r, f => f.Registers[0][1] == 1 && f.Registers[0][2] == 0 && f.Memory[0] == 1));
    }

    [Fact]
    public void Iriw_is_allowed_but_not_with_address_dependencies_since_arm_is_multicopy_atomic()
    {
        static bool Disagree(LitmusRun r) => Reaches(r, (2, 0, 1), (2, 2, 0), (3, 0, 1), (3, 2, 0));
        Assert.True(Disagree(Run(St(1, "x"), St(1, "y"), Code(Ldr(0, "x"), Ldr(2, "y")), Code(Ldr(0, "y"), Ldr(2, "x")))));
        var addrs = Run(St(1, "x"), St(1, "y"),
            Code(Ldr(0, "x"), Eor(5, 0, 0), Ldr(2, "y", offsetReg: 5)), Code(Ldr(0, "y"), Eor(5, 0, 0), Ldr(2, "x", offsetReg: 5)));
        Assert.False(Disagree(addrs));
        Assert.True(Reaches(addrs, (2, 0, 1), (2, 2, 1), (3, 0, 1), (3, 2, 1)));
    }

    [Fact]
    public void Wrc_with_dependencies_is_forbidden_without_allowed()
    {
        // P0: x=1. P1: r0=x; y=r0-dependent 1. P2: r0=y; r2=x (addr). Outcome P1 saw 1, P2 saw y=1 and x=0.
        static bool Stale3(LitmusRun r) => Reaches(r, (1, 0, 1), (2, 0, 1), (2, 2, 0));
        var po = Run(St(1, "x"), Code(Ldr(0, "x"), St(1, "y")), Code(Ldr(0, "y"), Ldr(2, "x")));
        Assert.True(Stale3(po));
        var deps = Run(St(1, "x"), Code(Ldr(0, "x"), Eor(5, 0, 0), Mov(6, 1), Add(7, 5, 6), StrReg(7, "y")),
            Code(Ldr(0, "y"), Eor(5, 0, 0), Ldr(2, "x", offsetReg: 5)));
        Assert.False(Stale3(deps));
        Assert.True(Reaches(deps, (1, 0, 1), (2, 0, 1), (2, 2, 1)));
    }

    [Fact]
    public void Coherence_shapes_are_forbidden()
    {
        // CoRR: reading 1 then 0 from the same location.
        var corr = Run(St(1, "x"), Code(Ldr(0, "x"), Ldr(1, "x")));
        Assert.False(Reaches(corr, (1, 0, 1), (1, 1, 0)));
        Assert.True(Reaches(corr, (1, 0, 0), (1, 1, 1)));
        // CoWR: a thread that wrote x=1 reads the other's x=2 although x ends 1.
        var cowr = Run(Code(St(1, "x"), Ldr(0, "x")), St(2, "x"));
        Assert.False(ReachesWith(cowr, f => f.Registers[0][0] == 2 && f.Memory[0] == 1));
        Assert.True(ReachesWith(cowr, f => f.Registers[0][0] == 2 && f.Memory[0] == 2));
        // CoRW: a thread reads the other's write that comes after its own (x ends 2, it read 2, it wrote 1).
        var corw = Run(Code(Ldr(0, "x"), St(1, "x")), St(2, "x"));
        Assert.False(ReachesWith(corw, f => f.Registers[0][0] == 2 && f.Memory[0] == 2));
        Assert.True(ReachesWith(corw, f => f.Registers[0][0] == 2 && f.Memory[0] == 1));
        // CoWW: two stores of one thread stay in coherence order.
        var coww = Run(Code(St(1, "x"), St(2, "x")));
        Assert.All(coww.Finals, f => Assert.Equal(2, f.Memory[0]));
    }

    [Fact]
    public void Two_plus_two_writes_is_allowed_and_forbidden_with_store_barriers()
    {
        // 2+2W: x=1;y=2 || y=1;x=2 ending x=1, y=1 (each thread's first store coherence-last).
        static bool Cross(LitmusRun r) => ReachesWith(r, f => f.Memory[0] == 1 && f.Memory[1] == 1);
        Assert.True(Cross(Run(Code(St(1, "x"), St(2, "y")), Code(St(1, "y"), St(2, "x")))));
        Assert.False(Cross(Run(Code(St(1, "x"), Dmb(BarrierKind.St), St(2, "y")), Code(St(1, "y"), Dmb(BarrierKind.St), St(2, "x")))));
    }

    [Fact]
    public void Atomic_adds_never_lose_an_update_and_swaps_order_like_release_and_acquire()
    {
        var adds = Run(Code(Mov(1, 1), LdAdd(1, 0, "x")), Code(Mov(1, 1), LdAdd(1, 0, "x")));
        Assert.All(adds.Finals, f => Assert.Equal(2, f.Memory[0]));
        Assert.True(Reaches(adds, (0, 0, 0), (1, 0, 1)));
        Assert.True(Reaches(adds, (0, 0, 1), (1, 0, 0)));
        var swaps = Run(Code(St(1, "x"), Mov(1, 1), Swp(1, 2, "y", rel: true)), Code(Mov(1, 1), Swp(1, 0, "y", acq: true), Ldr(2, "x")));
        Assert.False(ReachesWith(swaps, f => f.Registers[1][0] == 1 && f.Registers[1][2] == 0));
        var relaxed = Run(Code(St(1, "x"), Mov(1, 1), Swp(1, 2, "y")), Code(Mov(1, 1), Swp(1, 0, "y"), Ldr(2, "x")));
        Assert.True(ReachesWith(relaxed, f => f.Registers[1][0] == 1 && f.Registers[1][2] == 0));
    }
}
