using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// A scalar is one value to the explorer, so a 4-byte write replaces all of it, where on Arm it replaces 4 bytes and
/// keeps the rest (<c>uint64_t x=0x100000002</c>, then <c>STR W0</c> of 5, leaves 0x100000005). A location written at
/// both widths is refused as mixed-size; one written at one width, or read narrower than it is written, is answered.
/// </summary>
[Trait("Suite", "Fast")]
public class MixedWidthWriteTests
{
    const string File = "t.litmus";

    static LitmusException Refused(string text) => Assert.Throws<LitmusException>(() => LitmusParser.Parse(text, File));

    [Fact]
    public void A_narrow_store_over_a_wide_initial_value_is_refused()
    {
        var e = Refused("AArch64 T\n{ uint64_t x=0x100000002; 0:X1=x; }\n P0 ;\n MOV W0,#5 ;\n STR W0,[X1] ;\nexists (x=5)\n");
        Assert.Equal((5, "STR W0,[X1]"), (e.Line, e.Construct));
        Assert.StartsWith("unsupported: a 4-byte write to x, which also has its initial value 4294967298", e.Reason);
        Assert.False(e.Malformed);
    }

    [Theory]
    [InlineData("STR X0,[X1]", "an 8-byte write ('STR X0,[X1]', line 5)")]
    [InlineData("SWP X0,X2,[X1]", "an 8-byte write ('SWP X0,X2,[X1]', line 5)")]
    public void A_location_written_at_both_widths_is_refused(string wide, string by)
    {
        var e = Refused($"AArch64 T\n{{ 0:X1=x; 1:X1=x; }}\n P0 | P1 ;\n MOV X0,#1 | MOV W0,#2 ;\n {wide} | STR W0,[X1] ;\nexists (x=2)\n");
        Assert.Equal("STR W0,[X1]", e.Construct);
        Assert.Contains(by, e.Reason);
    }

    [Fact]
    public void A_wide_store_to_an_address_the_pass_cannot_know_counts_for_every_scalar()
    {
        // P1 stores through an address it loads: it may be x, which P0 writes 4 bytes wide.
        var e = Refused("AArch64 T\n{ uint64_t *p=&x; 0:X1=x; 1:X3=p; }\n P0 | P1 ;\n MOV W0,#1 | LDR X1,[X3] ;\n STR W0,[X1] | STR X3,[X1] ;\nexists (x=1)\n");
        Assert.Contains("an 8-byte write to an address not known before the run", e.Reason);
    }

    /// <summary>
    /// A narrow store through an address loaded at run time may hit any scalar: the refusal says so, where it named the
    /// location as the store's (herd's STXR2, whose STXR goes through a pointer read from p, was "a 4-byte write to p").
    /// </summary>
    [Fact]
    public void A_narrow_store_to_an_address_the_pass_cannot_know_says_it_may_be_the_location()
    {
        var e = Refused("AArch64 T\n{ [p]=x; 0:X1=p; 1:X1=p; 1:X0=y; }\n P0 | P1 ;\n LDR X0,[X1] | STR X0,[X1] ;\n MOV W7,#4 | NOP ;\n STR W7,[X0] | NOP ;\nexists (x=4)\n");
        Assert.Equal("STR W7,[X0]", e.Construct);
        Assert.StartsWith("unsupported: a 4-byte write to an address not known before the run, which may be p, which also has an 8-byte write ('STR X0,[X1]'", e.Reason);
    }

    [Theory]
    [InlineData("{ 0:X1=x; 1:X1=x; }", "MOV W0,#1 | MOV W0,#2", "STR W0,[X1] | STR W0,[X1]")]
    [InlineData("{ uint64_t x=0x100000002; 0:X1=x; 1:X1=x; }", "MOV X0,#1 | NOP", "STR X0,[X1] | LDR W0,[X1]")]
    [InlineData("{ uint64_t x=2; 0:X1=x; }", "MOV W0,#5 | NOP", "STR W0,[X1] | NOP")]
    public void One_width_of_writes_is_answered(string init, string first, string second)
    {
        var test = LitmusParser.Parse($"AArch64 T\n{init}\n P0 | P1 ;\n {first} ;\n {second} ;\nexists (x=1)\n", File);
        Assert.NotEmpty(LitmusExplorer.Run(test, CancellationToken.None).Finals);
    }
}
