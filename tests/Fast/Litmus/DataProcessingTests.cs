using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// The data-processing instructions and the NZCV flags as the Arm ARM defines them (AddWithCarry, the logical
/// operations' N and Z, ConditionHolds), at 32 bits (W) and 64 (X): each case is a one-thread litmus text whose final
/// registers are worked out by hand, carries and overflows included, so a wrong bit of any of them fails.
/// </summary>
[Trait("Suite", "Fast")]
public class DataProcessingTests
{
    /// <summary>The final registers of a one-thread test: X1 and X2 start as given, then <paramref name="code"/> runs (one instruction a line).</summary>
    static long[] Run(long x1, long x2, params string[] code)
    {
        var t = LitmusParser.Parse($"AArch64 T\n{{ 0:X1=0x{x1:X}; 0:X2=0x{x2:X}; }}\n P0 ;\n{string.Join("\n", code.Select(c => $" {c} ;"))}\nexists (0:X0=0)\n", "t.litmus");
        var run = LitmusExplorer.Run(t, CancellationToken.None);
        return Assert.Single(run.Finals).Registers[0];
    }

    /// <summary>
    /// Each flag-setting form's result and N, Z, C, V (read by CSET MI, EQ, CS, VS). <c>CMP X9,X9</c> first sets Z and C,
    /// so a case that clears them shows the instruction writes every flag.
    /// </summary>
    [Theory]
    [InlineData("SUBS W0,W1,W2", 2, 3, 0xFFFFFFFF, 1, 0, 0, 0)]
    [InlineData("SUBS X0,X1,X2", 2, 3, -1, 1, 0, 0, 0)]
    [InlineData("SUBS W0,W1,W2", 3, 3, 0, 0, 1, 1, 0)]
    [InlineData("SUBS W0,W1,W2", 0x80000000, 1, 0x7FFFFFFF, 0, 0, 1, 1)]
    [InlineData("SUBS X0,X1,X2", 0x80000000, 1, 0x7FFFFFFF, 0, 0, 1, 0)]
    [InlineData("SUBS X0,X1,X2", long.MinValue, 1, long.MaxValue, 0, 0, 1, 1)]
    [InlineData("SUBS W0,W1,W2,ASR #1", 0, 0xFFFFFFFE, 1, 0, 0, 0, 0)]
    [InlineData("SUBS X0,X1,X2,LSR #1", 0, -2, long.MinValue + 1, 1, 0, 0, 0)]
    [InlineData("ADDS W0,W1,W2", 0xFFFFFFFF, 1, 0, 0, 1, 1, 0)]
    [InlineData("ADDS X0,X1,X2", 0xFFFFFFFF, 1, 0x100000000, 0, 0, 0, 0)]
    [InlineData("ADDS W0,W1,W2", 0x7FFFFFFF, 1, 0x80000000, 1, 0, 0, 1)]
    [InlineData("ADDS X0,X1,X2", -1, -1, -2, 1, 0, 1, 0)]
    [InlineData("ADDS X0,X1,X2", long.MinValue, long.MinValue, 0, 0, 1, 1, 1)]
    [InlineData("ADDS X0,X1,#1,LSL #12", 42, 0, 4138, 0, 0, 0, 0)]
    [InlineData("CMN W1,W2", 0xFFFFFFFF, 1, 0, 0, 1, 1, 0)]
    [InlineData("CMP W1,W2", 0x100000001, 2, 0, 1, 0, 0, 0)]
    [InlineData("CMP X1,X2", 0x100000001, 2, 0, 0, 0, 1, 0)]
    [InlineData("CMP XZR,X2,ASR #1", 0, 1, 0, 0, 1, 1, 0)]
    [InlineData("NEGS W0,W1", 1, 0, 0xFFFFFFFF, 1, 0, 0, 0)]
    [InlineData("ANDS X0,X1,X2", 3, -4, 0, 0, 1, 0, 0)]
    [InlineData("ANDS W0,W1,W2", 0x80000000, 0xFFFFFFFF, 0x80000000, 1, 0, 0, 0)]
    [InlineData("ANDS X0,X1,X2", 0x80000000, 0xFFFFFFFF, 0x80000000, 0, 0, 0, 0)]
    [InlineData("BICS W0,W1,W2", -3, 10, 0xFFFFFFF5, 1, 0, 0, 0)]
    [InlineData("TST X1,X2", 1, 2, 0, 0, 1, 0, 0)]
    public void A_flag_setting_instruction_writes_its_result_and_nzcv(string instruction, long x1, long x2, long result, int n, int z, int c, int v)
    {
        var r = Run(x1, x2, "CMP X9,X9", instruction, "CSET W3,MI", "CSET W4,EQ", "CSET W5,CS", "CSET W6,VS");
        Assert.Equal((result, n, z, c, v), (r[0], (int)r[3], (int)r[4], (int)r[5], (int)r[6]));
    }

    /// <summary>
    /// An extended register is the Arm ARM's ExtendReg: Rm's low 8, 16 or 32 bits zero- or sign-extended (UXTX: all 64),
    /// then shifted left; the operation is then done at its own width (a W one keeps 32 bits). Each case: the instruction,
    /// X1, X2 and X0 after.
    /// </summary>
    [Fact]
    public void An_extended_register_is_extended_then_shifted()
    {
        (string Instruction, long X1, long X2, long X0)[] cases =
        [
            ("ADD X0,X1,W2,SXTW", 10, 0xFFFFFFFF, 9),
            ("ADD X0,X1,W2,UXTW", 10, 0xFFFFFFFF, 0x100000009),
            ("ADD X0,X1,X2,SXTW", 10, 0x1FFFFFFFF, 9),
            ("SUB X0,X1,W2,SXTW #2", 0, 0xFFFFFFFF, 4),
            ("ADD X0,X1,W2,SXTB", 0, 0x180, -128),
            ("ADD X0,X1,W2,UXTB #1", 0, 0x1FF, 0x1FE),
            ("ADD X0,X1,W2,SXTH #4", 0, 0x8000, -0x80000),
            ("ADD X0,X1,X2,UXTX #1", 0, -1, -2),
            ("ADD W0,W1,W2,SXTB", 0, 0xFF, 0xFFFFFFFF),
            ("SUBS X0,X1,W2,UXTH", 0x10000, 0x1FFFF, 1),
        ];
        Assert.All(cases, c => Assert.Equal(c.X0, Run(c.X1, c.X2, c.Instruction)[0]));
    }

    /// <summary><c>CMP X1,W2,SXTW</c> compares with -1 when W2 is all ones: equal to an X1 of -1, so Z is set.</summary>
    [Fact]
    public void Cmp_of_an_extended_register_sets_the_flags_of_the_extended_value()
    {
        var r = Run(-1, 0xFFFFFFFF, "CMP X1,W2,SXTW", "CSET W3,EQ", "CMP X1,W2,UXTW", "CSET W4,EQ");
        Assert.Equal((1L, 0L), (r[3], r[4]));
    }

    /// <summary>
    /// An extended register computed from a read carries the read's dependency into an address, as ADD's other forms do:
    /// MP with DMB SY and an address dependency through <c>ADD X3,X3,W2,SXTW</c> is Forbidden (aarch64.cat: dob has addr).
    /// </summary>
    [Fact]
    public void An_extended_register_carries_an_address_dependency()
    {
        var t = LitmusParser.Parse("AArch64 T\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n P0 | P1 ;\n MOV W0,#1 | LDR W0,[X1] ;\n"
            + " STR W0,[X1] | EOR W2,W0,W0 ;\n DMB SY | ADD X3,X3,W2,SXTW ;\n STR W0,[X3] | LDR W4,[X3] ;\nexists (1:X0=1 /\\ 1:X4=0)\n", "t.litmus");
        var finals = LitmusExplorer.Run(t, CancellationToken.None).Finals;
        Assert.Contains(finals, f => f.Registers[1][0] == 1 && f.Registers[1][4] == 1);
        Assert.DoesNotContain(finals, f => f.Registers[1][0] == 1 && f.Registers[1][4] == 0);
    }

    /// <summary>An address's SXTW offset is sign-extended (herd's get_ea): v[1] plus a W offset of -4 is v[0].</summary>
    [Fact]
    public void An_sxtw_address_offset_may_be_negative()
    {
        var t = LitmusParser.Parse("AArch64 T\n{ int v[2]={5,6}; 0:X1=v[1]; 0:X2=0xFFFFFFFC; }\n P0 ;\n LDR W0,[X1,W2,SXTW] ;\nexists (0:X0=5)\n", "t.litmus");
        Assert.Equal(5, Assert.Single(LitmusExplorer.Run(t, CancellationToken.None).Finals).Registers[0][0]);
    }

    static readonly string[] Conditions = ["EQ", "NE", "CS", "CC", "MI", "PL", "VS", "VC", "HI", "LS", "GE", "LT", "GT", "LE"];

    /// <summary>
    /// Every condition after <c>CMP W1,W2</c>, read by CSET (into X3 on) and by B.cond (X17 on: 1 when taken), for the
    /// flags Z C, N, C, C V and N V: the conditions that hold are listed by hand from the Arm ARM's table.
    /// </summary>
    [Theory]
    [InlineData(1, 1, "EQ CS PL VC LS GE LE")]
    [InlineData(1, 2, "NE CC MI VC LS LT LE")]
    [InlineData(2, 1, "NE CS PL VC HI GE GT")]
    [InlineData(0x80000000, 1, "NE CS PL VS HI LT LE")]
    [InlineData(0x7FFFFFFF, 0xFFFFFFFF, "NE CC MI VS LS GE GT")]
    public void Every_condition_reads_the_flags_as_the_arm_arm_says(long x1, long x2, string holding)
    {
        var code = new List<string> { "CMP W1,W2" };
        for (int k = 0; k < Conditions.Length; k++) code.Add($"CSET W{3 + k},{Conditions[k]}");
        for (int k = 0; k < Conditions.Length; k++) code.AddRange([$"MOV W{17 + k},#1", $"B.{Conditions[k]} L{k}", $"MOV W{17 + k},#0", $"L{k}:"]);
        var r = Run(x1, x2, [.. code]);
        var held = holding.Split(' ');
        for (int k = 0; k < Conditions.Length; k++)
        {
            long expected = held.Contains(Conditions[k]) ? 1 : 0;
            Assert.True(expected == r[3 + k], $"CSET {Conditions[k]} gave {r[3 + k]}");
            Assert.True(expected == r[17 + k], $"B.{Conditions[k]} {(r[17 + k] == 1 ? "branched" : "fell through")}");
        }
    }

    [Theory]
    [InlineData("SUB W0,W1,W2", 1, 2, 0xFFFFFFFF)]
    [InlineData("SUB X0,X1,X2", 1, 2, -1)]
    [InlineData("SUB X0,X1,#1,LSL #12", 4097, 0, 1)]
    [InlineData("BIC X0,X1,X2", 0xFF, 0x0F, 0xF0)]
    [InlineData("ORN W0,WZR,W2", 0, 1, 0xFFFFFFFE)]
    [InlineData("ORN X0,XZR,X2", 0, 1, -2)]
    [InlineData("MVN W0,W1", 0, 0, 0xFFFFFFFF)]
    [InlineData("MVN X0,X1", 0, 0, -1)]
    [InlineData("EON X0,X1,X1", 5, 0, -1)]
    [InlineData("EON W0,W1,W2", 0xF0, 0x0F, 0xFFFFFF00)]
    [InlineData("NEG X0,X1", 5, 0, -5)]
    [InlineData("NEG W0,W1", 5, 0, 0xFFFFFFFB)]
    [InlineData("ADD X0,X1,X2,LSL #2", 1, 3, 13)]
    [InlineData("ADD W0,W1,W2,LSL #31", 0, 3, 0x80000000)]
    [InlineData("ADD X0,X1,X2,LSL #31", 0, 3, 0x180000000)]
    [InlineData("ORR W0,WZR,W2,ASR #4", 0, 0x80000000, 0xF8000000)]
    [InlineData("ORR X0,XZR,X2,ASR #4", 0, 0x80000000, 0x08000000)]
    [InlineData("ORR X0,XZR,X2,LSR #4", 0, -1, 0x0FFFFFFFFFFFFFFF)]
    [InlineData("EOR W0,WZR,W2,ROR #4", 0, 0x12345678, 0x81234567)]
    [InlineData("EOR X0,XZR,X2,ROR #4", 0, 0x12345678, -9223372036835687065)]
    [InlineData("AND W0,W1,W2", 0x1FFFFFFFF, 0x100000003, 3)]
    [InlineData("MOV W0,W1", -3, 0, 0xFFFFFFFD)]
    public void A_data_operation_computes_at_its_width(string instruction, long x1, long x2, long result) =>
        Assert.Equal(result, Run(x1, x2, instruction)[0]);

    /// <summary>
    /// UBFM and SBFM by the Arm ARM's bitfield move: imms &gt;= immr takes bits imms..immr down to bit 0, imms &lt; immr takes
    /// bits imms..0 up to bit size - immr (the wrap-around), SBFM copying the field's top bit above it; and the aliases'
    /// immr and imms. X1 is 0x80000000000000F6 or 0x12345678.
    /// </summary>
    [Theory]
    [InlineData("UBFM W0,W1,#4,#7", 0x12345678, 0x7)]
    [InlineData("SBFM W0,W1,#3,#6", 0x12345678, 0xFFFFFFFF)]
    [InlineData("SBFM W0,W1,#0,#3", 0x12345678, 0xFFFFFFF8)]
    [InlineData("UBFM W0,W1,#0,#31", -0x12345678, 0xEDCBA988)]
    [InlineData("SBFM W0,W1,#31,#31", 0x80000000, 0xFFFFFFFF)]
    [InlineData("UBFM W0,W1,#24,#7", 0x12345678, 0x7800)]
    [InlineData("SBFM W0,W1,#24,#7", 0x123456F8, 0xFFFFF800)]
    [InlineData("UBFM W0,W1,#1,#0", 0x12345679, 0x80000000)]
    [InlineData("UBFM X0,X1,#4,#7", unchecked((long)0x80000000000000F6), 0xF)]
    [InlineData("SBFM X0,X1,#4,#7", unchecked((long)0x80000000000000F6), -1)]
    [InlineData("UBFM X0,X1,#63,#63", unchecked((long)0x80000000000000F6), 1)]
    [InlineData("SBFM X0,X1,#63,#63", unchecked((long)0x80000000000000F6), -1)]
    [InlineData("UBFM X0,X1,#0,#63", unchecked((long)0x80000000000000F6), unchecked((long)0x80000000000000F6))]
    [InlineData("UBFM X0,X1,#56,#7", unchecked((long)0x80000000000000F6), 0xF600)]
    [InlineData("SBFM X0,X1,#56,#7", unchecked((long)0x80000000000000F6), unchecked((long)0xFFFFFFFFFFFFF600))]
    [InlineData("SBFM X0,X1,#32,#31", 0x12345678, 0x1234567800000000)]
    [InlineData("LSL W0,W1,#4", 0x12345678, 0x23456780)]
    [InlineData("LSL X0,X1,#0", 0x12345678, 0x12345678)]
    [InlineData("LSR X0,X1,#60", unchecked((long)0x80000000000000F6), 8)]
    [InlineData("ASR X0,X1,#60", unchecked((long)0x80000000000000F6), -8)]
    [InlineData("ASR W0,W1,#28", 0x92345678, 0xFFFFFFF9)]
    [InlineData("UBFX W0,W1,#8,#8", 0x12345678, 0x56)]
    [InlineData("SBFX X0,X1,#1,#3", 0x12345678, -4)]
    [InlineData("UBFIZ X0,X1,#60,#4", 0x12345678, long.MinValue)]
    [InlineData("SBFIZ W0,W1,#8,#4", 0x12345678, 0xFFFFF800)]
    [InlineData("UXTB W0,W1", 0x12345678, 0x78)]
    [InlineData("UXTH W0,W1", 0x12345678, 0x5678)]
    [InlineData("SXTB X0,W1", 0x123456F8, -8)]
    [InlineData("SXTH W0,W1", 0x1234F678, 0xFFFFF678)]
    [InlineData("SXTW X0,W1", 0x92345678, unchecked((long)0xFFFFFFFF92345678))]
    public void A_bitfield_move_takes_its_field_as_the_arm_arm_says(string instruction, long x1, long result) =>
        Assert.Equal(result, Run(x1, 0, instruction)[0]);

    /// <summary>LDUR and STUR are LDR and STR with an unscaled offset, here negative.</summary>
    [Fact]
    public void An_unscaled_access_takes_its_offset_in_bytes()
    {
        var t = LitmusParser.Parse("AArch64 T\n{ int64_t a[2] = {1,2}; 0:X1=a; }\n P0 ;\n ADD X2,X1,#8 ;\n LDUR X0,[X2,#-8] ;\n MOV X3,#7 ;\n STUR X3,[X2] ;\n"
            + "forall (0:X0=1 /\\ a[1]=7)\n", "t.litmus");
        Assert.True(LitmusVerdict.Of(t, LitmusExplorer.Run(t, CancellationToken.None)).Ok);
    }

    /// <summary>The conditional selects and their aliases after <c>CMP W1,W2</c> with 1 and 2: EQ fails, NE and LT hold.</summary>
    [Theory]
    [InlineData("CSEL X0,X1,X2,LT", 1)]
    [InlineData("CSINC X0,X1,X2,EQ", 3)]
    [InlineData("CSINC X0,X1,X2,NE", 1)]
    [InlineData("CSINV W0,W1,W2,EQ", 0xFFFFFFFD)]
    [InlineData("CSINV X0,X1,X2,EQ", -3)]
    [InlineData("CSNEG X0,X1,X2,EQ", -2)]
    [InlineData("CSNEG W0,W1,W2,EQ", 0xFFFFFFFE)]
    [InlineData("CSET W0,NE", 1)]
    [InlineData("CSET X0,EQ", 0)]
    [InlineData("CSETM W0,NE", 0xFFFFFFFF)]
    [InlineData("CSETM X0,NE", -1)]
    [InlineData("CINC X0,X1,NE", 2)]
    [InlineData("CINC X0,X1,EQ", 1)]
    [InlineData("CINV X0,X1,NE", -2)]
    [InlineData("CNEG X0,X1,NE", -1)]
    [InlineData("CNEG W0,W1,NE", 0xFFFFFFFF)]
    public void A_conditional_select_takes_its_second_operand_transformed_when_the_condition_fails(string instruction, long result) =>
        Assert.Equal(result, Run(1, 2, "CMP W1,W2", instruction)[0]);

    /// <summary>TBZ and TBNZ test one bit (X3, X4, X5 stay 0 when the branch is taken); CBZ on a W register sees its low 32 bits only.</summary>
    [Theory]
    [InlineData(unchecked((long)0x8000000000000001), 0, 1, 1, 1)]
    [InlineData(0x80000000, 1, 0, 0, 1)]
    [InlineData(0x100000000, 1, 0, 1, 0)]
    public void A_bit_test_branches_on_its_bit(long x1, long x3, long x4, long x5, long x6)
    {
        var r = Run(x1, 0, "TBNZ X1,#63,L1", "MOV X3,#1", "L1:", "TBZ W1,#0,L2", "MOV X4,#1", "L2:", "TBNZ W1,#31,L3", "MOV X5,#1", "L3:",
            "CBZ W1,L4", "MOV X6,#1", "L4:");
        Assert.Equal((x3, x4, x5, x6), (r[3], r[4], r[5], r[6]));
    }
}
