using SmmuActors.Model.Litmus;
using SmmuActors.Tests.Support;

using static SmmuActors.Tests.Litmus.Inline;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// The herd7 AArch64 litmus reader: every construct it accepts becomes the instruction and condition
/// the explorer needs, and everything it does not accept is refused with the file, the line and the
/// instruction, never dropped.
/// </summary>
[Trait("Suite", "Fast")]
public class LitmusParserTests
{
    /// <summary>A one-thread test around <paramref name="code"/> (one instruction a line), x and y in X1 and X3.</summary>
    static LitmusTest One(string code, string condition = "exists (0:X0=0)") =>
        Parse($"AArch64 T\n{{ 0:X1=x; 0:X3=y; }}\n P0 ;\n{Rows(code)}\n{condition}\n");

    static Instr Only(string instruction) => Assert.Single(One(instruction).Threads[0].Code);

    const string Sb = """
        AArch64 SB
        "PodWR Fre PodWR Fre"
        Cycle=Fre PodWR Fre PodWR
        (* a comment
           over two lines *)
        {
        0:X1=x; 0:X3=y;
        1:X1=y; 1:X3=x;
        }
         P0          | P1          ;
         MOV W0,#1   | MOV W0,#1   ;
         STR W0,[X1] | STR W0,[X1] ;
         LDR W2,[X3] | LDR W2,[X3] ;
        exists
        (0:X2=0 /\ 1:X2=0)
        """;

    [Fact]
    public void ReadsTheWholeShapeOfATest()
    {
        var t = Parse(Sb);
        Assert.Equal("SB", t.Name);
        Assert.Equal(FileName, t.File);
        Assert.Equal(["x", "y"], t.Locations);
        Assert.Equal([0L, 0L], t.InitialMemory);
        Assert.Equal(2, t.Threads.Count);
        Assert.Equal(LitmusValue.Address(0), t.Threads[0].InitialRegisters[1]);
        Assert.Equal(LitmusValue.Address(1), t.Threads[0].InitialRegisters[3]);
        Assert.Equal(LitmusValue.Address(1), t.Threads[1].InitialRegisters[1]);
        Assert.Equal([InstrKind.Mov, InstrKind.Str, InstrKind.Ldr], t.Threads[1].Code.Select(i => i.Kind));
        Assert.Equal(13, t.Threads[0].Code[2].Line);
        Assert.Equal("LDR W2,[X3]", t.Threads[0].Code[2].Text);
        Assert.Equal(Quantifier.Exists, t.Condition.Quantifier);
        Assert.Equal(["0:X2", "1:X2"], t.Observed.Select(o => o.Name));
    }

    /// <summary>The catalogue's files are written loosely: no space before ';', comments after it, 'exists(' glued.</summary>
    [Fact]
    public void ReadsHerdsLooseSpacing()
    {
        var t = Parse("""
            AArch64 LB+rel+BEQ2
            {
            0:X5=x; 0:X4=y;
            1:X4=y; 1:X5=x;
            }
            P0           | P1          ;
            LDR W0,[X5]  | LDR W3,[X4];
            MOV W2, #1   | CMP W0,#1   ; (* clears Z flag *)
            STLR W2,[X4] | MOV W1,#7   ;
                         | B.EQ over   ; (* Z is clear *)
                         | MOV W1,W3   ;
                         | over:       ;
                         | STR W1,[X5] ;

            exists(0:X0=1 /\ 1:X3=1)
            """);
        Assert.Equal([3, 6], t.Threads.Select(th => th.Code.Count));
        Assert.Equal(5, t.Threads[1].Code[3].Target);
        Assert.Equal(Operand.Imm(1), t.Threads[0].Code[1].Op2);
        Assert.Equal(["0:X0", "1:X3"], t.Observed.Select(o => o.Name));
    }

    [Fact]
    public void InitTakesMemoryValuesCTypesAndAddresses()
    {
        var t = Parse("AArch64 T\n{ int z=3; uint64_t x; y=0x10; 0:X1=z; 0:X2=-1; uint64_t 0:X0; 0:W5=y; w=x; }\n P0 ;\n LDR W0,[X1] ;\nexists (0:X0=3)\n");
        Assert.Equal(["z", "x", "y", "w"], t.Locations);
        Assert.Equal([3L, 0L, 16L, LitmusValue.Address(1)], t.InitialMemory);
        var regs = t.Threads[0].InitialRegisters;
        Assert.Equal(LitmusValue.Address(0), regs[1]);
        Assert.Equal(-1L, regs[2]);
        Assert.Equal(0L, regs[0]);
        Assert.Equal(LitmusValue.Address(2), regs[5]);
    }

    /// <summary>A register's 64 bits, from herd's -2^63 (A194, A210) to a uint64_t's 2^64 - 1; beyond is refused, never wrapped.</summary>
    [Fact]
    public void AnInitValueTakesEvery64BitValue()
    {
        var regs = Parse("AArch64 T\n{ int64_t 0:X1=-9223372036854775808; uint64_t 0:X2=18446744073709551615; 0:X3=0xFFFFFFFFFFFFFFFF; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n")
            .Threads[0].InitialRegisters;
        Assert.Equal((long.MinValue, -1L, -1L), (regs[1], regs[2], regs[3]));
        foreach (string v in (string[])["-9223372036854775809", "18446744073709551616"])
            Assert.Throws<LitmusException>(() => Parse($"AArch64 T\n{{ 0:X1={v}; }}\n P0 ;\n NOP ;\nexists (0:X0=0)\n"));
    }

    [Fact]
    public void MovAndTheDataOperationsTakeRegistersAndImmediates()
    {
        var mov = Only("MOV W0,#1");
        Assert.Equal((InstrKind.Mov, 0, Operand.Imm(1), false), (mov.Kind, mov.Rd, mov.Op2, mov.Wide));
        var movx = Only("MOV X4, X2");
        Assert.Equal((4, Operand.Reg(2), true), (movx.Rd, movx.Op2, movx.Wide));
        Assert.Equal(Operand.Imm(16), Only("MOV W0,#0x10").Op2);
        foreach (var (text, op) in new[] { ("EOR", AluOp.Eor), ("ADD", AluOp.Add), ("ORR", AluOp.Orr), ("AND", AluOp.And) })
        {
            var i = Only($"{text} W2,W0,W1");
            Assert.Equal((InstrKind.Alu, op, false, 2, 0, Operand.Reg(1)), (i.Kind, i.Alu, i.SetsFlags, i.Rd, i.Rn, i.Op2));
            Assert.Equal(Operand.Imm(7), Only($"{text} X2,X0,#7").Op2);
        }
        var cmp = Only("CMP W0,#1");
        Assert.Equal((InstrKind.Alu, AluOp.Sub, true, 31, 0, Operand.Imm(1)), (cmp.Kind, cmp.Alu, cmp.SetsFlags, cmp.Rd, cmp.Rn, cmp.Op2));
        Assert.Equal(31, Only("EOR W2,WZR,W1").Rn);
        Assert.Equal(31, Only("MOV XZR,#1").Rd);
    }

    /// <summary>The aliases are the instructions the Arm ARM defines them as: XZR for the missing register, the opposite condition for CSET and its kin.</summary>
    [Theory]
    [InlineData("SUBS W2,W0,W1", InstrKind.Alu, AluOp.Sub, true, 2, 0, 1, Cond.None)]
    [InlineData("CMN X0,X1", InstrKind.Alu, AluOp.Add, true, 31, 0, 1, Cond.None)]
    [InlineData("TST W0,W1", InstrKind.Alu, AluOp.And, true, 31, 0, 1, Cond.None)]
    [InlineData("BICS W2,W0,W1", InstrKind.Alu, AluOp.Bic, true, 2, 0, 1, Cond.None)]
    [InlineData("EON X2,X0,X1", InstrKind.Alu, AluOp.Eon, false, 2, 0, 1, Cond.None)]
    [InlineData("MVN W2,W1", InstrKind.Alu, AluOp.Orn, false, 2, 31, 1, Cond.None)]
    [InlineData("NEGS X2,X1", InstrKind.Alu, AluOp.Sub, true, 2, 31, 1, Cond.None)]
    [InlineData("CSINC W2,W0,W1,HS", InstrKind.Csinc, AluOp.Add, false, 2, 0, 1, Cond.Cs)]
    [InlineData("CSET W2,HI", InstrKind.Csinc, AluOp.Add, false, 2, 31, 31, Cond.Ls)]
    [InlineData("CSETM X2,MI", InstrKind.Csinv, AluOp.Add, false, 2, 31, 31, Cond.Pl)]
    [InlineData("CINC X2,X1,VS", InstrKind.Csinc, AluOp.Add, false, 2, 1, 1, Cond.Vc)]
    [InlineData("CINV W2,W1,GE", InstrKind.Csinv, AluOp.Add, false, 2, 1, 1, Cond.Lt)]
    [InlineData("CNEG W2,W1,LO", InstrKind.Csneg, AluOp.Add, false, 2, 1, 1, Cond.Cs)]
    public void The_aliases_are_their_instructions(string text, InstrKind kind, AluOp op, bool setsFlags, int rd, int rn, int rm, Cond cond)
    {
        var i = One($"CMP W0,#0\n{text}\nL:").Threads[0].Code[1];
        Assert.Equal((kind, op, setsFlags, rd, rn, Operand.Reg(rm), cond), (i.Kind, i.Alu, i.SetsFlags, i.Rd, i.Rn, i.Op2, i.Cond));
    }

    [Fact]
    public void A_shifted_operand_and_a_bit_test_keep_their_numbers()
    {
        Assert.Equal(new Operand(true, 2, 0, AluOp.Asr, 3), Only("SUB X0,X1,X2,ASR #3").Op2);
        Assert.Equal(new Operand(true, 2, 0, AluOp.Ror, 1), Only("EOR W0,W1,W2, ROR 1").Op2);
        Assert.Equal(Operand.Reg(2), Only("ADD W0,W1,W2,LSL #0").Op2);
        Assert.Equal(Operand.Imm(4096), Only("ADDS X0,X0,#1, LSL #12").Op2);
        var tbnz = One("TBNZ X0,#63,L\nL:").Threads[0].Code[0];
        Assert.Equal((InstrKind.Tbnz, 0, Operand.Imm(63), 1), (tbnz.Kind, tbnz.Rt, tbnz.Op2, tbnz.Target));
    }

    [Theory]
    [InlineData("LDR W0,[X1]", InstrKind.Ldr, false, false)]
    [InlineData("LDAR W0,[X1]", InstrKind.Ldar, true, false)]
    [InlineData("LDAPR X0,[X1]", InstrKind.Ldapr, true, false)]
    [InlineData("STR W0,[X1]", InstrKind.Str, false, false)]
    [InlineData("STLR W0,[X1]", InstrKind.Stlr, false, true)]
    public void LoadsAndStoresCarryTheirOrdering(string text, InstrKind kind, bool acquire, bool release)
    {
        var i = Only(text);
        Assert.Equal((kind, 0, 1, Operand.Imm(0), acquire, release), (i.Kind, i.Rt, i.Rn, i.Op2, i.Acquire, i.Release));
    }

    [Fact]
    public void AddressesTakeAnImmediateOrARegisterOffset()
    {
        Assert.Equal(Operand.Imm(0), Only("LDR W0,[X1,#0]").Op2);
        Assert.Equal(Operand.Imm(8), Only("STR W0,[X1, #8]").Op2);
        Assert.Equal(Operand.Reg(2), Only("LDR W0,[X1,X2]").Op2);
        Assert.Equal(Operand.Reg(4) with { Extend = Extension.Sxtw }, Only("LDR W0,[X3,W4,SXTW]").Op2);
        Assert.Equal(Operand.Reg(4) with { Extend = Extension.Uxtw }, Only("STR W0,[X3, W4, UXTW]").Op2);
    }

    /// <summary>
    /// ADD, ADDS, SUB, SUBS and CMP take an extended register as herd's grammar does (tok_add_sub_ext, add_sub_ext): any
    /// of the eight extensions, with an optional left shift; an X operation a W or an X register, a W operation a W one.
    /// UXTX and SXTX extend nothing.
    /// </summary>
    [Theory]
    [InlineData("ADD X0,X0,W4,SXTW", 4, Extension.Sxtw, 0)]
    [InlineData("ADD X20, X2, X4, SXTW", 4, Extension.Sxtw, 0)]
    [InlineData("ADDS X0,X1,W2,UXTB #2", 2, Extension.Uxtb, 2)]
    [InlineData("SUB W0,W1,W2,SXTH", 2, Extension.Sxth, 0)]
    [InlineData("SUBS X0,X1,W2,UXTH #4", 2, Extension.Uxth, 4)]
    [InlineData("ADD X0,X1,X2,UXTX #3", 2, Extension.None, 3)]
    [InlineData("CMP X1,W2,SXTB", 2, Extension.Sxtb, 0)]
    [InlineData("ADD X0,X1,W2,UXTW 1", 2, Extension.Uxtw, 1)]
    public void AddAndSubTakeAnExtendedRegister(string text, int register, Extension extend, int shift)
    {
        var i = Only(text);
        Assert.Equal((InstrKind.Alu, register, extend, shift == 0 ? 0 : shift), (i.Kind, i.Op2.Register, i.Op2.Extend, i.Op2.Amount));
        Assert.True(shift == 0 || i.Op2.Shift == AluOp.Lsl);
    }

    [Theory]
    [InlineData("DMB SY", BarrierKind.Full)]
    [InlineData("DMB ISH", BarrierKind.Full)]
    [InlineData("DMB OSH", BarrierKind.Full)]
    [InlineData("DMB NSH", BarrierKind.Full)]
    [InlineData("DSB SY", BarrierKind.Full)]
    [InlineData("DMB LD", BarrierKind.Ld)]
    [InlineData("DMB ISHLD", BarrierKind.Ld)]
    [InlineData("DMB OSHLD", BarrierKind.Ld)]
    [InlineData("DMB NSHLD", BarrierKind.Ld)]
    [InlineData("DMB ST", BarrierKind.St)]
    [InlineData("DMB ISHST", BarrierKind.St)]
    [InlineData("DMB OSHST", BarrierKind.St)]
    [InlineData("DMB NSHST", BarrierKind.St)]
    [InlineData("DSB ISH", BarrierKind.Full)]
    [InlineData("DSB LD", BarrierKind.Ld)]
    [InlineData("DSB OSHLD", BarrierKind.Ld)]
    [InlineData("DSB ST", BarrierKind.DsbSt)]
    [InlineData("DSB ISHST", BarrierKind.DsbSt)]
    [InlineData("DSB NSHST", BarrierKind.DsbSt)]
    public void BarriersAreFullLoadOrStore(string text, BarrierKind barrier)
    {
        var i = Only(text);
        Assert.Equal((InstrKind.Dmb, barrier), (i.Kind, i.Barrier));
    }

    [Fact]
    public void IsbIsItsOwnKind() => Assert.Equal(InstrKind.Isb, Only("ISB").Kind);

    [Theory]
    [InlineData("CAS", InstrKind.Cas, false, false)]
    [InlineData("CASA", InstrKind.Cas, true, false)]
    [InlineData("CASL", InstrKind.Cas, false, true)]
    [InlineData("CASAL", InstrKind.Cas, true, true)]
    [InlineData("SWP", InstrKind.Swp, false, false)]
    [InlineData("SWPA", InstrKind.Swp, true, false)]
    [InlineData("SWPL", InstrKind.Swp, false, true)]
    [InlineData("SWPAL", InstrKind.Swp, true, true)]
    [InlineData("LDADD", InstrKind.LdOp, false, false)]
    [InlineData("LDADDA", InstrKind.LdOp, true, false)]
    [InlineData("LDADDL", InstrKind.LdOp, false, true)]
    [InlineData("LDADDAL", InstrKind.LdOp, true, true)]
    [InlineData("LDEORA", InstrKind.LdOp, true, false)]
    [InlineData("LDCLRL", InstrKind.LdOp, false, true)]
    [InlineData("LDSETAL", InstrKind.LdOp, true, true)]
    [InlineData("LDSMAX", InstrKind.LdOp, false, false)]
    [InlineData("LDSMINA", InstrKind.LdOp, true, false)]
    [InlineData("LDUMAXL", InstrKind.LdOp, false, true)]
    [InlineData("LDUMINAL", InstrKind.LdOp, true, true)]
    public void ReadModifyWritesTakeTheirSuffixes(string mnemonic, InstrKind kind, bool acquire, bool release)
    {
        var i = Only($"{mnemonic} W4,W2,[X3]");
        Assert.Equal((kind, 4, 2, 3, acquire, release, false), (i.Kind, i.Rs, i.Rt, i.Rn, i.Acquire, i.Release, i.Wide));
        Assert.Equal(31, Only($"{mnemonic} X4,XZR,[X3]").Rt);
    }

    [Fact]
    public void StaddIsAnLdaddIntoTheZeroRegister()
    {
        var i = Only("STADD W10, [X3]");
        Assert.Equal((InstrKind.StOp, 10, 31, 3, false, AluOp.Add), (i.Kind, i.Rs, i.Rt, i.Rn, i.Release, i.Alu));
        Assert.True(Only("STADDL W10,[X3]").Release);
    }

    /// <summary>Each LDop and STop carries its operation (herd's atomic_op): CLR is AND NOT (BIC), SET is ORR.</summary>
    [Fact]
    public void AnAtomicOperationIsItsMnemonics()
    {
        (string Op, AluOp Alu)[] operations =
            [("ADD", AluOp.Add), ("EOR", AluOp.Eor), ("CLR", AluOp.Bic), ("SET", AluOp.Orr), ("SMAX", AluOp.SMax), ("SMIN", AluOp.SMin), ("UMAX", AluOp.UMax), ("UMIN", AluOp.UMin)];
        Assert.All(operations, o =>
        {
            var (ld, st) = (Only($"LD{o.Op}AL X1,X2,[X3]"), Only($"ST{o.Op}L W1,[X3]"));
            Assert.Equal((InstrKind.LdOp, o.Alu, InstrKind.StOp, o.Alu, true), (ld.Kind, ld.Alu, st.Kind, st.Alu, st.Release));
        });
    }

    [Fact]
    public void LabelsBecomeTheIndexOfTheInstructionAfterThem()
    {
        var t = Parse("""
            AArch64 T
            { 0:X1=x; 1:X1=x; }
             P0            | P1           ;
             LDR W0,[X1]   | LC01:        ;
             CBNZ W0,LC00  | LDR W0,[X1]  ;
             B end         | CMP W0,#1    ;
             LC00: CBZ W0,end | B.NE LC01 ;
             MOV W2,#1     | B.EQ LC02    ;
             end:          | LC02:        ;
            exists (0:X2=1 /\ 1:X0=1)
            """);
        var p0 = t.Threads[0].Code;
        Assert.Equal([InstrKind.Ldr, InstrKind.Cbnz, InstrKind.B, InstrKind.Cbz, InstrKind.Mov], p0.Select(i => i.Kind));
        Assert.Equal(3, p0[1].Target);
        Assert.Equal(5, p0[2].Target);
        Assert.Equal(5, p0[3].Target);
        var p1 = t.Threads[1].Code;
        Assert.Equal((InstrKind.BCond, Cond.Ne, 0), (p1[2].Kind, p1[2].Cond, p1[2].Target));
        Assert.Equal((Cond.Eq, 4), (p1[3].Cond, p1[3].Target));
    }

    [Theory]
    [InlineData("B.EQ L", Cond.Eq)]
    [InlineData("B.NE L", Cond.Ne)]
    [InlineData("B.CS L", Cond.Cs)]
    [InlineData("B.HS L", Cond.Cs)]
    [InlineData("B.CC L", Cond.Cc)]
    [InlineData("B.LO L", Cond.Cc)]
    [InlineData("B.MI L", Cond.Mi)]
    [InlineData("B.PL L", Cond.Pl)]
    [InlineData("B.VS L", Cond.Vs)]
    [InlineData("B.VC L", Cond.Vc)]
    [InlineData("B.HI L", Cond.Hi)]
    [InlineData("B.LS L", Cond.Ls)]
    [InlineData("B.LT L", Cond.Lt)]
    [InlineData("B.LE L", Cond.Le)]
    [InlineData("B.GT L", Cond.Gt)]
    [InlineData("B.GE L", Cond.Ge)]
    [InlineData("B.AL L", Cond.Al)]
    [InlineData("B.NV L", Cond.Al)]
    public void EveryBranchConditionIsRead(string branch, Cond cond) =>
        Assert.Equal(cond, One($"CMP W0,#0\n{branch}\nL:").Threads[0].Code[1].Cond);

    [Fact]
    public void TheConditionTakesEveryConnectiveAndAtom()
    {
        var t = One("LDR W0,[X1]\nLDR X2,[X3]", @"forall (~(0:X0=1 \/ [x]=2) /\ (y=x \/ not (0:W2=0)) /\ true \/ false)");
        Assert.Equal(Quantifier.Forall, t.Condition.Quantifier);
        var x = new LitmusObserved(-1, -1, 0, "x");
        var y = new LitmusObserved(-1, -1, 1, "y");
        var r0 = new LitmusObserved(0, 0, -1, "0:X0");
        var r2 = new LitmusObserved(0, 2, -1, "0:X2");
        Prop expected = new Prop.Or(
            new Prop.And(new Prop.And(
                new Prop.Not(new Prop.Or(new Prop.Atom(r0, 1), new Prop.Atom(x, 2))),
                new Prop.Or(new Prop.Atom(y, LitmusValue.Address(0)), new Prop.Not(new Prop.Atom(r2, 0)))),
                new Prop.True()),
            new Prop.False());
        Assert.Equal(expected, t.Condition.Prop);
        Assert.Equal(["0:X0", "0:X2", "x", "y"], t.Observed.Select(o => o.Name));
    }

    /// <summary>herd7's NOTEQUAL (herd's regression test A08 has <c>0:X1!=x</c>): the negated atom, printed as herd prints it.</summary>
    [Fact]
    public void An_unequal_atom_is_the_negated_equal_one()
    {
        var t = One("LDR W0,[X1]", "exists (0:X0!=1 /\\ x!=x)");
        var r0 = new LitmusObserved(0, 0, -1, "0:X0");
        var x = new LitmusObserved(-1, -1, 0, "x");
        Assert.Equal(new Prop.And(new Prop.Not(new Prop.Atom(r0, 1)), new Prop.Not(new Prop.Atom(x, LitmusValue.Address(0)))), t.Condition.Prop);
    }

    /// <summary>herd's condition lexer reads <c>&lt;&gt;</c> as NOTEQUAL too (<c>lib/stateLexer.mll</c>); its regression test L019 uses it.</summary>
    [Fact]
    public void A_diamond_atom_is_an_unequal_one()
    {
        var t = One("LDR W0,[X1]", "exists (0:X0<>1 /\\ x<>2)");
        var r0 = new LitmusObserved(0, 0, -1, "0:X0");
        var x = new LitmusObserved(-1, -1, 0, "x");
        Assert.Equal(new Prop.And(new Prop.Not(new Prop.Atom(r0, 1)), new Prop.Not(new Prop.Atom(x, 2))), t.Condition.Prop);
    }

    /// <summary>herd's A164 observes 0:XZR, always 0, and prints it before the thread's X registers.</summary>
    [Fact]
    public void The_zero_register_may_be_observed()
    {
        var t = One("MOV X1,#1\nMOV XZR,#2", @"forall (0:X1=1 /\ 0:XZR=0)");
        Assert.Equal(["0:XZR", "0:X1"], t.Observed.Select(o => o.Name));
        var v = LitmusVerdict.Of(t, LitmusExplorer.Run(t, CancellationToken.None));
        Assert.Equal("0:XZR=0; 0:X1=1;", LitmusText.State(t, Assert.Single(v.States)));
        Assert.True(v.Ok);
    }

    [Theory]
    [InlineData("exists (0:X0=1)", Quantifier.Exists)]
    [InlineData("~exists (0:X0=1)", Quantifier.NotExists)]
    [InlineData("~ exists 0:X0=1", Quantifier.NotExists)]
    [InlineData("forall (0:X0=1)", Quantifier.Forall)]
    public void TheThreeQuantifiers(string condition, Quantifier q) => Assert.Equal(q, One("LDR W0,[X1]", condition).Condition.Quantifier);

    [Fact]
    public void ALocationsLineAddsWhatTheStatesShow()
    {
        var t = Parse("AArch64 T\n{ 0:X1=x; 1:X1=x; }\n P0 | P1 ;\n LDR W0,[X1] | LDR W6,[X1] ;\nlocations [1:X6; z; 0:X10;]\nexists (y=1 /\\ 0:X0=1)\n");
        Assert.Equal(["0:X0", "0:X10", "1:X6", "y", "z"], t.Observed.Select(o => o.Name));
        Assert.Equal(["x", "z", "y"], t.Locations);
        Assert.Equal(3, t.InitialMemory.Count);
    }

    /// <summary>herd's L003 and L004 end with a locations line and no condition: herd prints <c>forall (true)</c> and every state.</summary>
    [Fact]
    public void A_locations_line_alone_is_forall_true()
    {
        var t = Parse("AArch64 T\n{ 0:X1=x; }\n P0 ;\n MOV W0,#1 ;\nlocations [0:X0; x;]\n");
        Assert.Equal(new LitmusCondition(Quantifier.Forall, new Prop.True()), t.Condition);
        Assert.Equal("forall (true)", LitmusText.Condition(t));
        Assert.Equal(["0:X0", "x"], t.Observed.Select(o => o.Name));
    }

    [Fact]
    public void A_post_index_is_read_as_the_base_address_and_an_increment()
    {
        var t = Parse("AArch64 T\n{ 0:X1=x; 0:X3=y; }\n P0 ;\n STR W0,[X1],#4 ;\n LDR W2,[X3],#-8 ;\nexists (0:X2=0)\n");
        Assert.Equal((1, 0L, 4L), (t.Threads[0].Code[0].Rn, t.Threads[0].Code[0].Op2.Immediate, t.Threads[0].Code[0].PostIndex));
        Assert.Equal((3, -8L), (t.Threads[0].Code[1].Rn, t.Threads[0].Code[1].PostIndex));
    }

    [Fact]
    public void TheCorpusParses()
    {
        var files = TestPaths.LitmusCorpus();
        Assert.True(files.Count >= 60, $"only {files.Count} litmus files in {TestPaths.LitmusDir}");
        foreach (var f in files)
        {
            var t = LitmusParser.ParseFile(f);
            Assert.Equal(Path.GetFileNameWithoutExtension(f), t.Name);
        }
    }

    /// <summary>Each refusal names the file, the 1-based line and the construct, in the message the CLI prints.</summary>
    [Theory]
    [InlineData("LDRB W0,[X1]", "unsupported instruction", "LDRB W0,[X1]")]
    [InlineData("MUL W0,W0,W1", "unsupported instruction", "MUL W0,W0,W1")]
    [InlineData("ADD W0,W1,W2,ROR #1", "unsupported instruction (ADD and SUB shift a register by LSL, LSR or ASR)", "ADD W0,W1,W2,ROR #1")]
    [InlineData("AND W0,W1,#1,LSL #12", "unsupported instruction (only ADD and SUB shift an immediate", "AND W0,W1,#1,LSL #12")]
    [InlineData("SUBS W0,W1,W2,LSL #32", "unsupported instruction ('LSL #32': a shift amount is #0 to #31)", "SUBS W0,W1,W2,LSL #32")]
    [InlineData("CMP X0,X1,X2", "unsupported instruction ('X2' is not a shift", "CMP X0,X1,X2")]
    [InlineData("SUB X0,X1,W2", "unsupported instruction (mixes X and W registers)", "SUB X0,X1,W2")]
    [InlineData("CSET W0,AL", "unsupported instruction (CSET takes no AL or NV condition)", "CSET W0,AL")]
    [InlineData("TBZ W0,#32,L", "unsupported instruction ('#32' is not a bit number of W0)", "TBZ W0,#32,L")]
    [InlineData("LDR W1,[X1],#4", "unsupported instruction", "LDR W1,[X1],#4")]
    [InlineData("STLR W0,[X1],#4", "unsupported instruction", "STLR W0,[X1],#4")]
    [InlineData("STR W0,[X1,#8],#4", "unsupported instruction", "STR W0,[X1,#8],#4")]
    [InlineData("LDR W0,[X1,#4]!", "unsupported instruction", "LDR W0,[X1,#4]!")]
    [InlineData("LDR W0,[X1,X2,LSL #2]", "unsupported instruction", "LDR W0,[X1,X2,LSL #2]")]
    [InlineData("LDAR W0,[X1,#8]", "unsupported instruction", "LDAR W0,[X1,#8]")]
    [InlineData("LDUR W0,[X1,#256]", "unsupported instruction (LDUR takes [Xn] or [Xn,#-256..255])", "LDUR W0,[X1,#256]")]
    [InlineData("STUR W0,[X1,X2]", "unsupported instruction (STUR takes [Xn] or [Xn,#-256..255])", "STUR W0,[X1,X2]")]
    [InlineData("UBFM W0,W1,#32,#0", "unsupported instruction ('#32' is not an immediate #0 to #31)", "UBFM W0,W1,#32,#0")]
    [InlineData("SBFM X0,W1,#0,#0", "unsupported instruction (mixes X and W registers)", "SBFM X0,W1,#0,#0")]
    [InlineData("UBFX X0,X1,#60,#5", "unsupported instruction ('#5' is not an immediate #1 to #4)", "UBFX X0,X1,#60,#5")]
    [InlineData("LSL W0,W1,W2", "unsupported instruction ('W2' is not an immediate #0 to #31 (the register forms", "LSL W0,W1,W2")]
    [InlineData("UXTB X0,W1", "unsupported instruction (UXTB and UXTH take Wd,Wn", "UXTB X0,W1")]
    [InlineData("SXTW W0,W1", "unsupported instruction (UXTB and UXTH take Wd,Wn", "SXTW W0,W1")]
    [InlineData("ADD W0,W1,X2,SXTW", "unsupported instruction (a W operation extends a W register)", "ADD W0,W1,X2,SXTW")]
    [InlineData("ADD X0,X1,W2,SXTX", "unsupported instruction (UXTX and SXTX extend an X register)", "ADD X0,X1,W2,SXTX")]
    [InlineData("ADD X0,X1,W2,SXTW #5", "unsupported instruction ('SXTW #5': an extended register's shift is #0 to #4)", "ADD X0,X1,W2,SXTW #5")]
    [InlineData("ORR X0,X1,W2,SXTW", "unsupported instruction (mixes X and W registers)", "ORR X0,X1,W2,SXTW")]
    [InlineData("EOR X0,X1,X2,SXTW", "unsupported instruction ('SXTW' is not a shift", "EOR X0,X1,X2,SXTW")]
    [InlineData("ADD X0,X1,#1,SXTW", "unsupported instruction", "ADD X0,X1,#1,SXTW")]
    [InlineData("CASB W0,W1,[X1]", "unsupported instruction", "CASB W0,W1,[X1]")]
    [InlineData("STADDA W0,[X1]", "unsupported instruction", "STADDA W0,[X1]")]
    [InlineData("STEORA W0,[X1]", "unsupported instruction (STEOR has the forms STEOR and STEORL", "STEORA W0,[X1]")]
    [InlineData("LDSMAXH W0,W1,[X1]", "unsupported instruction (LDSMAX has the forms LDSMAX, LDSMAXA, LDSMAXL and LDSMAXAL (no byte or half-word forms))", "LDSMAXH W0,W1,[X1]")]
    [InlineData("LDCLR X0,W1,[X1]", "unsupported instruction (mixes X and W registers)", "LDCLR X0,W1,[X1]")]
    [InlineData("DMB XX", "unsupported instruction", "DMB XX")]
    [InlineData("MOV W0,X1", "unsupported instruction", "MOV W0,X1")]
    [InlineData("MOV W31,#1", "unsupported instruction", "MOV W31,#1")]
    [InlineData("LDR W0,[SP]", "unsupported instruction", "LDR W0,[SP]")]
    [InlineData("B.XX L", "unsupported instruction ('XX' is not a condition", "B.XX L")]
    [InlineData("CBZ W0,nowhere", "unknown label 'nowhere'", "CBZ W0,nowhere")]
    public void AnUnsupportedInstructionNamesFileLineAndInstruction(string instruction, string reason, string construct)
    {
        var e = Assert.Throws<LitmusException>(() => Parse($"AArch64 T\n{{ 0:X1=x; }}\n P0 | P1 ;\n MOV W0,#1 | MOV W0,#2 ;\n NOP0: | {instruction} ;\nexists (0:X0=1)\n"));
        Assert.Equal((FileName, 5, construct), (e.File, e.Line, e.Construct));
        Assert.StartsWith(reason, e.Reason);
        Assert.StartsWith($"{FileName}:5: {reason}", e.Message);
        Assert.EndsWith($"'{construct}'", e.Message);
    }

    /// <summary>
    /// Uses of atomics the explorer would answer more strongly than Armv8 (docs/litmus.md, "What the explorer
    /// refuses"): each is refused at the instruction that makes it so, with file and line. Reading the flags where some
    /// path has not set them is refused: Arm leaves NZCV UNKNOWN at the start.
    /// </summary>
    [Theory]
    [InlineData("MOV W0,#2 ;\n MOV W6,#3 ;\n LDADD W6,W0,[X3] ;\n LDR W5,[X3] ;", 7, "LDR W5,[X3]", "a plain load that may read this thread's own LDADD's, LDEOR's, ... write")]
    // An atomic that is no acquire reads it as the plain load does (a helper's random tests: STADDL, then CAS, DMB LD).
    [InlineData("MOV W0,#0 ;\n STADDL W0,[X3] ;\n CAS W0,W6,[X3] ;", 6, "CAS W0,W6,[X3]", "an atomic, no acquire, that may read this thread's own LDADD's, LDEOR's, ... write")]
    [InlineData("MOV W0,#0 ;\n LDADD W0,W2,[X3] ;\n SWP W0,W6,[X3] ;", 6, "SWP W0,W6,[X3]", "an atomic, no acquire, that may read this thread's own LDADD's, LDEOR's, ... write")]
    [InlineData("LDR W0,[X3] ;\n CBZ W0,L ;\n CMP W0,#1 ;\n L: B.EQ M ;\n M: ;", 7, "B.EQ M", "reads the flags where this thread may not have set them")]
    [InlineData("CSET W2,EQ ;", 4, "CSET W2,EQ", "reads the flags where this thread may not have set them")]
    public void A_use_the_explorer_cannot_answer_for_is_refused_at_it(string code, int line, string construct, string reason)
    {
        var e = Assert.Throws<LitmusException>(() => Parse($"AArch64 T\n{{ 0:X1=x; 0:X3=z; 0:X4=y; }}\n P0 ;\n {code}\nexists (0:X0=1)\n"));
        Assert.Equal((FileName, line, construct), (e.File, e.Line, e.Construct));
        Assert.StartsWith($"unsupported: {reason}", e.Reason);
    }

    /// <summary>
    /// What an atomic returns after a read gave its operand is answered, used or shown (its read goes first: AtomicSplitTests);
    /// a load-acquire may read the thread's own atomic write (aob orders it); a load of another location may follow an atomic;
    /// a value a select chose by flags a read set, whatever set them, is stored or branched on (pob orders the store or
    /// what follows the branch after the read, as the explorer does: PickDependencyTests); what a CAS returned is used as
    /// a store's address (the thread of herd's LB+rel+CAS-ok-MRs-addr) or branched on (CasReturnedTests).
    /// </summary>
    [Theory]
    [InlineData("MOV W2,#1 ;\n CAS W2,WZR,[X1] ;\n EOR W3,W2,W2 ;\n STR W4,[X4,W3,SXTW] ;\nexists (0:X2=1)")]
    [InlineData("LDR W5,[X1] ;\n CAS W5,WZR,[X3] ;\n CBNZ W5,L ;\n STR W5,[X4] ;\n L: ;\nexists (0:X5=1)")]
    [InlineData("LDR W0,[X1] ;\n SWP W0,W12,[X3] ;\n EOR W2,W12,W12 ;\n STR W2,[X4] ;\nexists (0:X12=0)")]
    [InlineData("LDR W5,[X1] ;\n AND W10,W5,#2 ;\n MOV W4,#1 ;\n CAS W10,W4,[X3] ;\n STR W4,[X4] ;\nexists (0:X5=1)")]
    [InlineData("MOV W0,#2 ;\n MOV W6,#3 ;\n CAS W0,W6,[X3] ;\n LDAR W5,[X3] ;\nexists (0:X0=2)")]
    [InlineData("MOV W0,#2 ;\n MOV W6,#3 ;\n CAS W0,W6,[X3] ;\n LDR W5,[X1] ;\nexists (0:X0=2)")]
    [InlineData("MOV W0,#2 ;\n MOV W6,#3 ;\n CAS W0,W6,[X3] ;\n LDR W5,[X3] ;\n STR W5,[X1] ;\nexists (0:X0=2)")]
    [InlineData("NOP ;\n LDR W5,[X1] ;\nexists (0:X5=1);")]
    [InlineData("LDR W0,[X3] ;\n ADDS W5,W0,#1 ;\n CSINC W2,WZR,WZR,VS ;\n STR W2,[X1] ;\nexists (0:X0=1)")]
    [InlineData("LDR W0,[X3] ;\n ANDS W5,W0,#1 ;\n CSETM W2,EQ ;\n TBNZ W2,#0,L ;\n L: ;\nexists (0:X0=1)")]
    public void What_the_explorer_answers_exactly_is_not_refused(string code)
    {
        var t = Parse($"AArch64 T\n{{ 0:X1=x; 0:X3=z; 0:X4=y; }}\n P0 ;\n {code}\n");
        Assert.NotEmpty(t.Threads[0].Code);
    }

    /// <summary>
    /// A value a CSEL chose by flags a read set is read as a stored value, a store's address and a load's address alike;
    /// CSEL itself is read, its condition named like B.cond's.
    /// </summary>
    [Fact]
    public void A_value_chosen_by_flags_a_read_set_is_read_as_a_stored_value_and_as_an_address()
    {
        const string head = "AArch64 T\n{ 0:X1=x; 0:X3=y; }\n P0 ;\n LDR W0,[X3] ;\n CMP W0,#1 ;\n MOV W4,#1 ;\n CSEL W2,WZR,W4,NE ;\n";
        Assert.Equal(InstrKind.Str, Parse(head + " STR W2,[X1] ;\nexists (0:X0=1)\n").Threads[0].Code[4].Kind);
        Assert.Equal(InstrKind.Str, Parse(head + " STR W4,[X1,W2,SXTW] ;\nexists (0:X0=1)\n").Threads[0].Code[4].Kind);
        var csel = Parse(head + " LDR W6,[X1,W2,SXTW] ;\nexists (0:X0=1)\n").Threads[0].Code[3];
        Assert.Equal((InstrKind.Csel, Cond.Ne, 2, 31, 4), (csel.Kind, csel.Cond, csel.Rd, csel.Rn, csel.Op2.Register));
        Assert.Throws<LitmusException>(() => Parse("AArch64 T\n{ }\n P0 ;\n CMP W1,#0 ;\n CSEL W2,W1,W4,XX ;\nexists (0:X2=1)\n"));
    }

    /// <summary>
    /// The pass follows branches back: a load written before the atomic is reached after it round the loop, where the
    /// atomic's write (a release CAS's, which a load does not pass) may be held back and a store follows, and a plain load written before an STADD may read its write
    /// the second time round.
    /// </summary>
    [Theory]
    [InlineData("L0: LDR W5,[X3] ;\n MOV W0,#2 ;\n MOV W6,#3 ;\n CASL W0,W6,[X3] ;\n STR W6,[X1] ;\n CBZ W5,L0 ;", 4, "LDR W5,[X3]", "an access of a location an earlier store or atomic of this thread may still hold back")]
    [InlineData("MOV W6,#3 ;\n L0: LDR W5,[X3] ;\n STADD W6,[X3] ;\n CBZ W5,L0 ;", 5, "LDR W5,[X3]", "a plain load that may read this thread's own LDADD's")]
    public void The_pass_follows_a_loop_back(string code, int line, string construct, string reason)
    {
        var e = Assert.Throws<LitmusException>(() => Parse($"AArch64 T\n{{ 0:X1=x; 0:X3=z; 0:X4=y; }}\n P0 ;\n {code}\nexists (0:X0=1)\n"));
        Assert.Equal((line, construct), (e.Line, e.Construct));
        Assert.StartsWith($"unsupported: {reason}", e.Reason);
    }

    [Theory]
    [InlineData("X86 T\n{ }\n P0 ;\n MOV W0,#1 ;\nexists (0:X0=1)\n", 1, "X86")]
    [InlineData("AArch64 T\nwhat is this\n{ }\n P0 ;\n MOV W0,#1 ;\nexists (0:X0=1)\n", 2, "what is this")]
    [InlineData("AArch64 T\nHash=0\nVariant=mixed,memtag\n{ }\n P0 ;\n MOV W0,#1 ;\nexists (0:X0=1)\n", 3, "Variant=mixed,memtag")]
    [InlineData("AArch64 T\n{ 0:X1=x;\n 0:Q1=2; }\n P0 ;\n MOV W0,#1 ;\nexists (0:X0=1)\n", 3, "0:Q1")]
    [InlineData("AArch64 T\n{ 2:X1=x; }\n P0 ;\n MOV W0,#1 ;\nexists (0:X0=1)\n", 2, "2:")]
    [InlineData("AArch64 T\n{ }\n P0 | P2 ;\n MOV W0,#1 | ;\nexists (0:X0=1)\n", 3, "P2")]
    [InlineData("AArch64 T\n{ }\n P0 ;\n MOV W0,#1\nexists (0:X0=1)\n", 4, "MOV W0,#1")]
    [InlineData("AArch64 T\n{ }\n P0 ;\n MOV W0,#1 ;\nfilter (0:X0=1)\nexists (0:X0=1)\n", 5, "filter")]
    [InlineData("AArch64 T\n{ }\n P0 ;\n MOV W0,#1 ;\nexists (0:X0=1 /\\\n 0:X0=)\n", 6, ")")]
    [InlineData("AArch64 T\n{ }\n P0 ;\n MOV W0,#1 ;\nexists (3:X0=1)\n", 5, "3:X0")]
    [InlineData("AArch64 T\n{ }\n P0 ;\n MOV W0,#1 ;\nsometimes (0:X0=1)\n", 5, "sometimes (0:X0=1)")]
    [InlineData("AArch64 T\n{ }\n P0 ;\n MOV W0,#1 ;\nexists (0:X0=1 => 0:X0=1)\n", 5, "=>")]
    [InlineData("AArch64 T\n{ }\n P0 ;\n MOV W0,#1 ;\n", 4, "")]
    public void AnUnsupportedConstructNamesFileAndLine(string text, int line, string construct)
    {
        var e = Assert.Throws<LitmusException>(() => Parse(text));
        Assert.Equal((FileName, line, construct), (e.File, e.Line, e.Construct));
    }

    [Theory]
    [InlineData("AArch64 T\n{ 2:X1=x; }\n P0 ;\n MOV W0,#1 ;\nexists (0:X0=1)\n", "the init block sets registers of thread 2, but the test has 1 thread")]
    [InlineData("AArch64 T\n{ }\n P0 ;\n MOV W0,#1 | NOP ;\nexists (0:X0=1)\n", "2 columns, but the test has 1 thread")]
    [InlineData("AArch64 T\n{ }\n P0 | P1 ;\n MOV W0,#1 | NOP ;\nexists (2:X0=1)\n", "names thread 2, but the test has 2 threads")]
    [InlineData("AArch64 T\n{ }\n P0 ;\n MOV W0,#1\nexists (0:X0=1)\n", "a program line must end with ';'")]
    [InlineData("AArch64 T\n{ }\n P0 ;\n MOV W0,#1 ;\nexists (0:X0=1 => 0:X0=1)\n", "unsupported connective (only /\\, \\/, ~ and not)")]
    public void AReasonReadsAsASentence(string text, string reason) =>
        Assert.Equal(reason, Assert.Throws<LitmusException>(() => Parse(text)).Reason);

    /// <summary>
    /// A comment never closed, as in herdtools7's readers-guide WRC ("(*WRC aka Write-to-Read-Causality)"), is malformed,
    /// named by the line it opens on; it blanked the rest of the file and was reported as "no init block" at the last line.
    /// </summary>
    [Fact]
    public void ACommentNeverClosedIsNamedWhereItOpens()
    {
        var e = Assert.Throws<LitmusException>(() => Parse("AArch64 WRC\n(*WRC aka Write-to-Read-Causality)\n{ 0:X0=x; }\n P0 ;\n LDR W1,[X0] ;\nexists (0:X1=0)\n"));
        Assert.Equal((FileName, 2, "(*", "a comment '(*' never closed by '*)'", true), (e.File, e.Line, e.Construct, e.Reason, e.Malformed));
    }

    /// <summary>Text that is no litmus test at all (no init block) is malformed whatever its first word, so
    /// --skip-unsupported cannot count it among the skipped; another architecture's test is only unsupported.</summary>
    [Theory]
    [InlineData("garbage here\n", true)]
    [InlineData("X86 SB\nexists (0:EAX=0)\n", true)]
    [InlineData("X86 T\n{ }\n P0 ;\n MOV W0,#1 ;\nexists (0:X0=1)\n", false)]
    public void TextWithNoInitBlockIsMalformed(string text, bool malformed) =>
        Assert.Equal(malformed, Assert.Throws<LitmusException>(() => Parse(text)).Malformed);
}
