using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// What a conditional select chose by flags a read set, stored, used as a store's address, branched on or given to an
/// atomic. herd's CSEL reads the flags, then, under their control (iico_ctrl), only the chosen register, so the result
/// carries the chosen operand's dependencies as data and the flags' read as a pick dependency; aarch64.cat's pob orders
/// a write after such a read when the read reaches it (<c>[Exp]; pick-dep; [W]</c>: pick-data-dep, pick-addr-dep,
/// pick-ctrl-dep), every write after an access at such an address (<c>pick-addr-dep; [Exp &amp; M]; po; [W]</c>), and
/// after a branch on such a value an ISB orders what follows (<c>pick-ctrl-dep; [CSE]; po; [M]</c>); nothing orders a
/// load at such an address, or a load that reads such a store back, after the read. On LB (P0 reads x, then writes y;
/// P1 reads y, DMB SY, writes x): the outcome 0:X0=1 /\ 1:X0=1 is Forbidden exactly where P0's write is ordered after
/// its read. Each select chooses between equal values, so only the ordering decides.
/// </summary>
[Trait("Suite", "Fast")]
public class PickDependencyTests
{
    static bool Cycle(params string[] p0)
    {
        string[] first = ["LDR W0,[X1]", "MOV W4,#1", "MOV W5,#1", .. p0];
        string[] p1 = ["LDR W0,[X3]", "DMB SY", "MOV W2,#1", "STR W2,[X1]"];
        var rows = Enumerable.Range(0, Math.Max(first.Length, p1.Length))
            .Select(k => $" {(k < first.Length ? first[k] : "")} | {(k < p1.Length ? p1[k] : "")} ;");
        var t = Inline.Parse($"AArch64 T\n{{ 0:X1=x; 0:X3=y; 0:X6=z; 1:X1=x; 1:X3=y; }}\n P0 | P1 ;\n{string.Join("\n", rows)}\nexists (0:X0=1 /\\ 1:X0=1)\n");
        return LitmusVerdict.Of(t, LitmusExplorer.Run(t, CancellationToken.None)).Witnessed;
    }

    [Theory]
    [InlineData("CMP W0,#1", "CSEL W2,W4,W5,EQ", "STR W2,[X3]")]
    [InlineData("SUBS W9,W0,#1", "CSINC W2,W4,W5,NE", "SUB W2,W2,W2", "ADD W2,W2,#1", "STR W2,[X3]")]
    [InlineData("CMP W0,#1", "CSEL X7,XZR,XZR,EQ", "STR W4,[X3,X7]")]
    [InlineData("CMP W0,#1", "CSEL X7,XZR,XZR,EQ", "LDR W8,[X6,X7]", "STR W4,[X3]")]
    [InlineData("CMP W0,#1", "CSET W7,EQ", "CBNZ W7,L", "L:", "STR W4,[X3]")]
    [InlineData("TST W0,#1", "CSETM W7,NE", "CMP W7,#0", "B.EQ L", "L:", "STR W4,[X3]")]
    [InlineData("CMP W0,#1", "CSEL W2,W4,W5,EQ", "SWP W2,W9,[X3]")]
    [InlineData("CMP W0,#1", "CSEL W2,W4,W5,EQ", "STADD W2,[X3]")]
    public void A_write_a_pick_dependency_reaches_is_ordered_after_the_read(params string[] p0) => Assert.False(Cycle(p0));

    /// <summary>
    /// The store of the chosen value goes elsewhere (herd's LB+CSEL-data-po+DMB, Allowed), or only the operand not chosen
    /// comes from the read (herd's CSEL does not read it): the write of y is ordered after nothing.
    /// </summary>
    [Theory]
    [InlineData("CMP W0,#1", "CSEL W2,W4,W5,EQ", "STR W2,[X6]", "STR W4,[X3]")]
    [InlineData("CMP W4,#1", "CSEL W2,W5,W0,EQ", "STR W2,[X3]")]
    public void A_write_no_pick_dependency_reaches_is_not_ordered(params string[] p0) => Assert.True(Cycle(p0));

    /// <summary>
    /// On MP (<see cref="FlagDependencyTests.Stale"/>): a branch on what flags from the read of y chose, then an ISB,
    /// orders the load of x (herd's T9B, Forbidden); a store of such a value, read back and used as the load's address,
    /// does not (herd's MP+rel+CSEL-addr, Allowed: pick-data-dep; lrs is no dob).
    /// </summary>
    [Fact]
    public void A_branch_on_a_chosen_value_and_an_isb_orders_later_loads() =>
        Assert.False(FlagDependencyTests.Stale("CMP W0,#1", "CSET W5,EQ", "CBNZ W5,L", "L:", "ISB", "MOV X5,#0"));

    [Fact]
    public void A_chosen_value_stored_and_read_back_gives_the_read_no_dependency() =>
        Assert.True(FlagDependencyTests.Stale("CMP W0,#1", "CSET W5,EQ", "STR W5,[X1]", "LDR W7,[X1]", "EOR X5,X7,X7"));
}
