using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// An atomic that returns a value and whose write waits, for a value operand from a read of its thread or as a release
/// for earlier accesses (docs/litmus.md, "Atomics whose write waits"): its read goes at once and returns the old value,
/// its write goes once the operand (and for a release, every earlier access) is in, and memory takes that write
/// only while the write it read is still the newest (atomicity). z holds 1 and gives the operand (LDR W4,[X6]).
/// </summary>
[Trait("Suite", "Fast")]
public class AtomicSplitTests
{
    const string ZIsOne = "int z=1;";

    static bool Reaches(LitmusRun run, Func<LitmusFinal, bool> state) => run.Finals.Any(state);

    /// <summary>
    /// atomic (rmw &amp; (fre; coe) empty): P1's store of 2 comes before the atomic's read or after its write, never between.
    /// The pairs are what the atomic returned in W1 and x at the end: a SWP writes z's 1, an LDADD the old value plus 1, a
    /// CAS from 0 writes 1 when it read 0 and nothing when it read 2.
    /// </summary>
    [Theory]
    [InlineData("SWP W4,W1,[X0]", new long[] { 0, 2, 2, 1 })]
    [InlineData("LDADD W4,W1,[X0]", new long[] { 0, 2, 2, 3 })]
    [InlineData("CAS W1,W4,[X0]", new long[] { 0, 2, 2, 2 })]
    public void Another_write_never_comes_between_the_read_and_the_write(string atomic, long[] pairs)
    {
        var run = Columns.Run(ZIsOne, "x=1", ["LDR W4,[X6]", "MOV W1,#0", atomic], ["MOV W2,#2", "STR W2,[X0]"]);
        var expected = pairs.Chunk(2).Select(p => (p[0], p[1])).Order();
        Assert.Equal(expected, run.Finals.Select(f => (f.Registers[0][1], f.Memory[0])).Distinct().Order());
    }

    /// <summary>
    /// The operand feeds the write only: the SWP's read of z does not wait for P0's read of x, so a store whose value
    /// depends on what it returns may be seen by P1 before that read of x (herd's LB+SWP-RsRt-addr+rel, Allowed in
    /// kinds.txt). The explorer once did the whole SWP after the operand's read, and said Forbidden.
    /// </summary>
    [Fact]
    public void The_read_does_not_wait_for_the_operand()
    {
        var run = Columns.Run("", "0:X4=1 /\\ 1:X4=1",
            ["LDR W4,[X0]", "SWP W4,W1,[X6]", "EOR W7,W1,W1", "ADD W2,W7,#1", "STR W2,[X5]"],
            ["LDR W4,[X5]", "MOV W2,#1", "STLR W2,[X0]"]);
        Assert.True(Reaches(run, f => f.Registers[0][4] == 1 && f.Registers[1][4] == 1));
    }

    /// <summary>
    /// An acquire atomic's read is A (herd's AArch64Sem.ml reads SWPA with XA, and a failing CASA with A), so it orders P1's
    /// later load of x ([A]; po) while its write waits for the operand; without the A it orders nothing.
    /// </summary>
    [Theory]
    [InlineData("SWPA W4,W1,[X5]", false)]
    [InlineData("CASA W1,W4,[X5]", false)]
    [InlineData("SWP W4,W1,[X5]", true)]
    public void An_acquire_atomics_read_orders_later_loads(string atomic, bool stale)
    {
        var run = Columns.Run("", "1:X1=1 /\\ 1:X2=0",
            ["MOV W2,#1", "STR W2,[X0]", "STLR W2,[X5]"],
            ["LDR W4,[X6]", "MOV W1,#5", atomic, "LDR W2,[X0]"]);
        Assert.Equal(stale, Reaches(run, f => f.Registers[1][1] == 1 && f.Registers[1][2] == 0));
    }

    /// <summary>A release atomic's write goes after the accesses before it (po; [L]): P0's load of x cannot read P1's later store.</summary>
    [Theory]
    [InlineData("SWPL W4,W1,[X5]", false)]
    [InlineData("SWP W4,W1,[X5]", true)]
    public void A_release_atomics_write_follows_earlier_loads(string atomic, bool cycle)
    {
        var run = Columns.Run(ZIsOne, "0:X2=1 /\\ 1:X1=1",
            ["LDR W2,[X0]", "LDR W4,[X6]", atomic],
            ["LDR W1,[X5]", "DMB SY", "MOV W3,#1", "STR W3,[X0]"]);
        Assert.Equal(cycle, Reaches(run, f => f.Registers[0][2] == 1 && f.Registers[1][1] == 1));
    }

    /// <summary>
    /// A release atomic's read is no release (herd reads SWPL with X, writes with XL): with a constant operand its write still
    /// waits for P0's earlier load of x, its read does not, so a store of what it returned may be seen first (LB). The
    /// explorer once held the whole SWPL back, and said Forbidden.
    /// </summary>
    [Fact]
    public void A_release_atomics_read_does_not_wait_for_earlier_loads()
    {
        var run = Columns.Run("", "0:X2=1 /\\ 1:X1=1",
            ["LDR W2,[X0]", "MOV W4,#1", "SWPL W4,W1,[X6]", "EOR W7,W1,W1", "ADD W7,W7,#1", "STR W7,[X5]"],
            ["LDR W1,[X5]", "DMB SY", "MOV W3,#1", "STR W3,[X0]"]);
        Assert.True(Reaches(run, f => f.Registers[0][2] == 1 && f.Registers[1][1] == 1));
    }

    /// <summary>
    /// An acquire-release atomic's write goes before every later access ([range([A]; amo; [L])]; po in bob): split after
    /// P0's load of z, its write still comes before the store of y, so P1, reading y then x, cannot miss it (MP); an SWPL's
    /// read is no acquire, and it may. The explorer once let the store overtake the SWPAL's held-back write, and said
    /// Allowed.
    /// </summary>
    [Theory]
    [InlineData("SWPAL W2,W1,[X0]", false)]
    [InlineData("SWPL W2,W1,[X0]", true)]
    public void An_acquire_release_atomics_write_goes_before_later_accesses(string atomic, bool missed)
    {
        var run = Columns.Run("", "x=1 /\\ 1:X1=1 /\\ 1:X2=0",
            ["LDR W9,[X6]", "MOV W2,#1", atomic, "MOV W3,#1", "STR W3,[X5]"], ["LDAR W1,[X5]", "LDR W2,[X0]"]);
        Assert.Equal(missed, Reaches(run, f => f.Memory[0] == 1 && f.Registers[1][1] == 1 && f.Registers[1][2] == 0));
    }

    /// <summary>
    /// A CAS that read another value than its Rs writes nothing (herd's aarch64_cas_no): once that is known nothing waits for
    /// it, its Rt's read included, so DMB ST does not order that read before a later store (LB). x never holds 5.
    /// </summary>
    [Fact]
    public void A_failed_CAS_holds_nothing_back()
    {
        var run = Columns.Run("", "0:X4=1 /\\ 1:X1=1",
            ["LDR W4,[X6]", "MOV W1,#5", "CAS W1,W4,[X0]", "DMB ST", "MOV W2,#1", "STR W2,[X5]"],
            ["LDR W1,[X5]", "STR W1,[X6]"]);
        Assert.True(Reaches(run, f => f.Registers[0][4] == 1 && f.Registers[1][1] == 1));
    }
}
