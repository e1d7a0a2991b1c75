using SmmuActors.Model.Litmus;

using static SmmuActors.Tests.Litmus.Inline;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// LDP and STP, read as two LDRs or STRs of consecutive elements with the instruction's line and text, the post-index
/// on the second; the forms the Arm ARM makes CONSTRAINED UNPREDICTABLE or the assembler has no encoding for, and the
/// other pairs (LDXP, LDPSW, LDNP, ...), refused.
/// </summary>
[Trait("Suite", "Fast")]
public class PairTests
{
    /// <summary>One thread over an int64_t array t in X2, its code one instruction a line from line 4.</summary>
    static LitmusTest One(string code, string array = "int64_t t[4]") =>
        Parse($"AArch64 T\n{{ {array}; 0:X2=t; }}\n P0 ;\n{Rows(code)}\nforall (true)\n");

    [Theory]
    [InlineData("LDP X0,X1,[X2,#16]", InstrKind.Ldr, true, 0, 1, 16L, 24L, 0L)]
    [InlineData("STP W3,W4,[X2]", InstrKind.Str, false, 3, 4, 0L, 4L, 0L)]
    [InlineData("LDP W0,W1,[X2],#8", InstrKind.Ldr, false, 0, 1, 0L, 4L, 8L)]
    [InlineData("STP X3,XZR,[X2],#-16", InstrKind.Str, true, 3, 31, 0L, 8L, -16L)]
    public void A_pair_is_two_accesses_of_consecutive_elements_the_base_written_back_after_both(string pair, InstrKind kind, bool wide, int rt1, int rt2,
        long first, long second, long post)
    {
        var code = One(pair).Threads[0].Code;
        Assert.Equal(2, code.Count);
        Assert.All(code, i => Assert.Equal((kind, 2, wide, 4, pair), (i.Kind, i.Rn, i.Wide, i.Line, i.Text)));
        Assert.Equal((rt1, first, 0L), (code[0].Rt, code[0].Op2.Immediate, code[0].PostIndex));
        Assert.Equal((rt2, second, post), (code[1].Rt, code[1].Op2.Immediate, code[1].PostIndex));
    }

    /// <summary>A pair takes two indices, so a label after it is past both and a branch over it lands there.</summary>
    [Fact]
    public void A_label_after_a_pair_is_past_both_of_its_accesses()
    {
        var code = One("CBZ X9,over\nLDP X0,X1,[X2]\nover: MOV X3,#1\nB over").Threads[0].Code;
        Assert.Equal([InstrKind.Cbz, InstrKind.Ldr, InstrKind.Ldr, InstrKind.Mov, InstrKind.B], code.Select(i => i.Kind));
        Assert.Equal((3, 3), (code[0].Target, code[4].Target));
    }

    /// <summary>herd's A241 with a W pair: both forms read and write the cells they name, and the base moves once, after both.</summary>
    [Fact]
    public void Both_forms_reach_consecutive_cells_and_a_post_index_moves_the_base_once()
    {
        var block = Block(Parse("""
            AArch64 T
            { int64_t t[4]={1,2,3,4}; int u[2]; 0:X2=t; 0:X9=u; }
             P0                  ;
             LDP X0,X1,[X2],#16  ;
             MOV X3,#5           ;
             MOV X4,#6           ;
             STP X3,X4,[X2,#-8]  ;
             LDP X5,X6,[X2,#-16] ;
             MOV W7,#7           ;
             STP W7,WZR,[X9]     ;
             LDP W10,W11,[X9],#8 ;
             SUB X9,X9,#8        ;
            forall (0:X0=1 /\ 0:X1=2 /\ 0:X5=1 /\ 0:X6=5 /\ 0:X9=u /\ 0:X10=7 /\ 0:X11=0 /\ t={1,5,6,4} /\ u={7,0})
            """));
        Assert.Equal("Ok", block[3]);
        Assert.Equal("0:X0=1; 0:X1=2; 0:X5=1; 0:X6=5; 0:X9=u; 0:X10=7; 0:X11=0; t={1,5,6,4}; u={7,0};", block[2]);
    }

    /// <summary>LDP X2,X3,[X2] reads both cells at the old X2: the Arm ARM computes the address before either load writes.</summary>
    [Fact]
    public void A_load_pair_into_its_own_base_reads_both_at_the_old_base()
    {
        var block = Block(Parse("AArch64 T\n{ int64_t t[2]={5,6}; 0:X2=t; }\n P0 ;\n LDP X2,X3,[X2] ;\nforall (0:X2=5 /\\ 0:X3=6)\n"));
        Assert.Equal(("0:X2=5; 0:X3=6;", "Ok"), (block[2], block[3]));
    }

    /// <summary>
    /// What the Arm ARM's LDP and STP decode make CONSTRAINED UNPREDICTABLE (a load into one register twice, a written-back
    /// pair with its base also a data register), what no encoding has (mixed widths, an offset not a multiple of the size
    /// or beyond the scaled imm7, a register offset), the pre-index, and the other pairs, whose meanings differ: an
    /// exclusive pair's single-copy atomicity, LDPSW's sign extension, LDNP's exception to address dependencies.
    /// </summary>
    [Theory]
    [InlineData("LDP X0,X0,[X2]", "unsupported instruction (an LDP into one register twice is CONSTRAINED UNPREDICTABLE)")]
    [InlineData("LDP X2,X1,[X2],#16", "unsupported instruction (a post-indexed LDP with its base also a data register")]
    [InlineData("STP X1,X2,[X2],#16", "unsupported instruction (a post-indexed STP with its base also a data register")]
    [InlineData("LDP X0,W1,[X2]", "unsupported instruction (mixes X and W registers)")]
    [InlineData("LDP X0,X1,[X2,#4]", "unsupported instruction (LDP takes [Xn], [Xn,#imm] or [Xn],#imm, imm a multiple of 8 from -512 to 504)")]
    [InlineData("STP W0,W1,[X2,#256]", "unsupported instruction (STP takes [Xn], [Xn,#imm] or [Xn],#imm, imm a multiple of 4 from -256 to 252)")]
    [InlineData("LDP X0,X1,[X2,X3]", "unsupported instruction (LDP takes [Xn], [Xn,#imm] or [Xn],#imm")]
    [InlineData("LDP X0,X1,[X2],#12", "unsupported instruction (a post-index is [Xn],#imm, imm a multiple of 8")]
    [InlineData("STP X0,X1,[X2,#8],#8", "unsupported instruction (a post-index is [Xn],#imm")]
    [InlineData("LDP X0,X1,[X2,#16]!", "unsupported instruction ('[X2,#16]!' is not an address")]
    [InlineData("LDP X0,X1", "unsupported instruction (LDP takes 3 operands, found 2)")]
    [InlineData("LDXP X0,X1,[X2]", "unsupported instruction")]
    [InlineData("LDAXP X0,X1,[X2]", "unsupported instruction")]
    [InlineData("STXP W3,X0,X1,[X2]", "unsupported instruction")]
    [InlineData("LDPSW X0,X1,[X2]", "unsupported instruction")]
    [InlineData("LDNP X0,X1,[X2]", "unsupported instruction")]
    public void A_pair_it_cannot_read_exactly_is_refused_with_its_line(string pair, string reason)
    {
        var e = Assert.Throws<LitmusException>(() => One($"NOP\n{pair}"));
        Assert.Equal((FileName, 5, pair), (e.File, e.Line, e.Construct));
        Assert.StartsWith(reason, e.Reason);
    }

    /// <summary>Each access of a pair is a whole cell's, as an LDR's is: X pairs of int cells and W pairs of int64_t cells are mixed-size.</summary>
    [Theory]
    [InlineData("int t[4]", "LDP X0,X1,[X2]", "unsupported: an 8-byte access at byte 0 of t, an array of 4-byte cells")]
    [InlineData("int64_t t[4]", "STP W0,W1,[X2]", "unsupported: a 4-byte access at byte 0 of t, an array of 8-byte cells")]
    public void A_pair_of_the_wrong_size_for_the_cells_is_refused_when_reached(string array, string pair, string reason)
    {
        var e = Assert.Throws<LitmusException>(() => Block(One(pair, array)));
        Assert.Equal((4, pair), (e.Line, e.Construct));
        Assert.StartsWith(reason, e.Reason);
    }

    /// <summary>
    /// MP over two cells of one array, with a pair on one side: the flag seen new and the data old is reached. The Arm ARM
    /// makes an LDP or STP two single-copy-atomic accesses with no order between them, and herd composes them in parallel
    /// (<c>&gt;&gt;|</c> in <c>ldp</c> and <c>stp</c> of herd/AArch64Sem.ml, sequenced only for LDIAPP and STILP), so
    /// aarch64.cat's ob does not order them even where barriers order everything around them. With the pair's two accesses
    /// split by a DMB SY instead it is Never, as MP+dmb.sys is.
    /// </summary>
    [Theory]
    [InlineData("MOV W0,#1 | LDP W2,W3,[X1]\nSTR W0,[X1,#4] |\nDMB SY |\nSTR W0,[X1] |", "Sometimes")]
    [InlineData("MOV W0,#1 | LDR W2,[X1,#4]\nSTP W0,W0,[X1] | DMB SY\n | LDR W3,[X1]", "Sometimes")]
    [InlineData("MOV W0,#1 | LDR W2,[X1,#4]\nSTR W0,[X1] | DMB SY\nDMB SY | LDR W3,[X1]\nSTR W0,[X1,#4] |", "Never")]
    public void The_two_accesses_of_a_pair_are_unordered(string rows, string observation)
    {
        var block = Block(Parse($"AArch64 MP\n{{ int x[2]; 0:X1=x; 1:X1=x; }}\n P0 | P1 ;\n{Rows(rows)}\nexists (1:X2=1 /\\ 1:X3=0)\n"));
        Assert.StartsWith($"Observation MP {observation}", block[^2]);
    }
}
