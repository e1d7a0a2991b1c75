using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// Dependencies through the data-processing instructions and the flags, on MP (P0: x=1; DMB; y=1. P1 reads y, then x):
/// a register computed from a read carries it into an address (addr), and flags set from a read carry it into a branch
/// (ctrl), which orders the later load only with an ISB (aarch64.cat's ctrl;[ISB];po;[R]). The stale outcome (y=1, x=0)
/// is Forbidden exactly where Arm orders the two loads.
/// </summary>
[Trait("Suite", "Fast")]
public class FlagDependencyTests
{
    internal static bool Stale(params string[] reader)
    {
        string[] writer = ["MOV W0,#1", "STR W0,[X1]", "DMB SY", "STR W0,[X3]"];
        string[] p1 = ["LDR W0,[X1]", .. reader, "LDR W2,[X3,X5]"];
        var rows = Enumerable.Range(0, Math.Max(writer.Length, p1.Length))
            .Select(k => $" {(k < writer.Length ? writer[k] : "")} | {(k < p1.Length ? p1[k] : "")} ;");
        var t = LitmusParser.Parse($"AArch64 T\n{{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }}\n P0 | P1 ;\n{string.Join("\n", rows)}\nexists (1:X0=1 /\\ 1:X2=0)\n", "t.litmus");
        var verdict = LitmusVerdict.Of(t, LitmusExplorer.Run(t, CancellationToken.None));
        Assert.Contains(verdict.States, s => s.SequenceEqual([1L, 1L]));
        return verdict.Witnessed;
    }

    [Theory]
    [InlineData("SUB X5,X0,X0")]
    [InlineData("NEG X5,X0", "AND X5,X5,XZR")]
    [InlineData("SUBS X5,X0,X0")]
    [InlineData("BIC X5,X0,X0,LSL #1", "EOR X5,X5,X5")]
    [InlineData("UBFM X5,X0,#4,#7")]
    [InlineData("SBFM W5,W0,#24,#0", "AND W5,W5,#255")]
    [InlineData("SXTW X5,W0", "UBFX X5,X5,#1,#8")]
    public void A_dependency_through_a_new_instruction_orders_the_loads(params string[] reader) => Assert.False(Stale(reader));

    /// <summary>
    /// The flags or a bit test order nothing without an ISB, and CSET's flags give its value no address dependency, with
    /// an ISB or without (herd's MP+rel+CSEL: no addr, and no branch for ctrl;[ISB]).
    /// </summary>
    [Theory]
    [InlineData("SUBS W9,W0,#1", "B.NE L", "L:")]
    [InlineData("ANDS W9,W0,#1", "B.EQ L", "L:")]
    [InlineData("TBNZ W0,#0,L", "L:")]
    [InlineData("CMP W0,#1", "CSET X5,EQ", "AND X5,X5,XZR")]
    [InlineData("CMP W0,#1", "CSINC X5,XZR,XZR,EQ", "AND X5,X5,XZR", "ISB")]
    [InlineData("MOV X5,#0", "ADDS X9,X0,#0")]
    public void Flags_and_bit_tests_alone_order_nothing(params string[] reader) => Assert.True(Stale(reader));

    [Theory]
    [InlineData("SUBS W9,W0,#1", "B.NE L", "L:", "ISB")]
    [InlineData("ADDS W9,W0,W0", "B.VS L", "L:", "ISB")]
    [InlineData("ANDS W9,W0,#1", "B.EQ L", "L:", "ISB")]
    [InlineData("TBNZ W0,#0,L", "L:", "ISB")]
    [InlineData("CMN W0,#1", "B.EQ L", "L:", "ISB")]
    [InlineData("TST W0,#2", "B.NE L", "L:", "ISB")]
    public void Flags_from_a_read_and_an_isb_order_the_loads(params string[] reader) => Assert.False(Stale(reader));

    /// <summary>
    /// An access whose address flags from a read chose, then an ISB: aarch64.cat's pick-addr-dep; [M]; po; [ISB]; po
    /// orders the later load after the read, as addr; [M]; po; [ISB]; po does for an address computed from it.
    /// </summary>
    [Theory]
    [InlineData("CMP W0,#1", "CSET X5,EQ", "AND X5,X5,XZR", "LDR W7,[X3,X5]", "ISB", "MOV X5,#0")]
    [InlineData("CMP W0,#1", "CSINC X5,XZR,XZR,EQ", "AND X5,X5,XZR", "LDR W7,[X1,X5]", "ISB", "MOV X5,#0")]
    public void An_access_at_an_address_flags_chose_then_an_isb_orders_the_loads(params string[] reader) => Assert.False(Stale(reader));
}
