using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// An acquire after a <c>CASL</c> whose write is held back, on LB: P0 reads z and writes what it read to x (data); P1's CASL
/// compares x with Rs (W4) and would write 2, then an acquire, then a store of 1 to z. x at X0, y at X5, z at X6. The outcome
/// 0:X1=1 /\ 1:X4=1 has P0 read P1's store of z and P1's CAS read P0's store of x, so the CAS's read comes after the store
/// behind the acquire, in a cycle R x (CAS) -&gt; acquire -&gt; W z -rfe-&gt; R z -data-&gt; W x -rfe-&gt; R x.
/// <para>In herd (<c>AArch64Sem.ml</c> <c>do_cas</c>, PRs 1095 and 1175), a CAS that fails has two event structures: one
/// writes the value read back (an XL write in the L forms), the other writes nothing (<c>aarch64_cas_no</c>), and its read is
/// a plain one in CASL (<c>rmw_to_read</c>: an A read only in CASA and CASAL). With Rs = 0 and x read as 1 the CAS fails;
/// without a write nothing of <c>aarch64.cat</c>'s <c>ob</c> orders the acquire after the CAS's read: <c>[L]; po; [A]</c> in
/// <c>bob</c> needs the L write, <c>[A]; po</c> an A read, <c>rmw</c> (<c>aob</c>) a write; so the cycle is no cycle of
/// <c>ob</c> and the outcome is Allowed (<c>[A]; po</c> orders the store of z after the acquire only, <c>dob</c>'s
/// <c>data</c> P0's write after its read).</para>
/// <para>Forbidden: with Rs = 1 the CAS reading 1 succeeds and writes its XL write, <c>rmw</c> (<c>aob</c>) orders that write
/// after the read and <c>[L]; po; [A]</c> the acquire after the write, closing the cycle; a CASAL failing without a write
/// still has an A read, which <c>[A]; po</c> orders before the acquire; a DMB SY in place of the acquire orders everything
/// (<c>po; [dmb.full]; po</c>). The explorer once made every acquire wait for a held-back CASL's outcome and said Never to
/// the Allowed shapes; <see cref="AxiomaticAgreementTests"/>'s reading of aarch64.cat found it (seed 4, tests 974 and 1619).</para>
/// </summary>
[Trait("Suite", "Fast")]
public class CasFailAcquireTests
{
    static readonly string[] ReadZWriteX = ["LDR W1,[X6]", "STR W1,[X0]"];

    static LitmusRun Run(string rs, string cas, string acquire) =>
        Columns.Run("", "0:X1=1 /\\ 1:X4=1", ReadZWriteX, [rs, "MOV W3,#2", $"{cas} W4,W3,[X0]", acquire, "MOV W7,#1", "STR W7,[X6]"]);

    static bool Seen(LitmusRun run, long zRead, long casRead) => run.Finals.Any(f => f.Registers[0][1] == zRead && f.Registers[1][4] == casRead);

    /// <summary>The CASL fails (Rs 0, or a read of y, which is 0, as Rs); the acquire, an LDAR or an acquire atomic, goes before its read.</summary>
    [Theory]
    [InlineData("MOV W4,#0", "LDAR W2,[X5]")]
    [InlineData("MOV W4,#0", "LDADDA W3,W2,[X5]")]
    [InlineData("MOV W4,#0", "SWPA W3,W2,[X5]")]
    [InlineData("LDR W4,[X5]", "LDAR W2,[X5]")]
    public void An_acquire_may_go_before_a_release_CAS_that_fails_without_a_write(string rs, string acquire) =>
        Assert.True(Seen(Run(rs, "CASL", acquire), 1, 1));

    /// <summary>
    /// The CAS succeeds on reading 1 (the guess that it fails is dropped then), a CASAL's read is an acquire, a full barrier
    /// waits for the CAS: Forbidden, while P0 still reads z=1 with the CAS reading 0 before.
    /// </summary>
    [Theory]
    [InlineData("MOV W4,#1", "CASL", "LDAR W2,[X5]")]
    [InlineData("MOV W4,#1", "CASL", "LDADDA W3,W2,[X5]")]
    [InlineData("MOV W4,#0", "CASAL", "LDAR W2,[X5]")]
    [InlineData("MOV W4,#0", "CASL", "DMB SY")]
    public void The_acquire_follows_a_CAS_that_writes_or_that_orders_it(string rs, string cas, string acquire)
    {
        var run = Run(rs, cas, acquire);
        Assert.False(Seen(run, 1, 1));
        Assert.True(Seen(run, 1, 0));
    }

    /// <summary>
    /// LB through a CASAL whose Rs waits for a read: P0 reads y, compares x with 0 taken from that read (EOR), would write 2,
    /// then stores 1 to z; P1 copies z to y. With x=1 the CAS fails, and herd's failure without a write leaves only its A
    /// read to order what follows (<c>[A]; po</c>), not the read of y its comparison waited for: Allowed. With x=0 it
    /// succeeds, and its XL write, which the comparison controls (<c>iico_ctrl</c>, so <c>pick-dtrm</c> from the read of y),
    /// goes before every later access (<c>[range([A]; amo; [L])]; po</c>): <c>pick-lob</c> orders the read of y before the
    /// store of z, Forbidden. The explorer once held every later access back until the CASAL's outcome was known, and said
    /// Never to the first too.
    /// </summary>
    [Theory]
    [InlineData("int x=1;", true)]
    [InlineData("", false)]
    public void Later_accesses_may_go_before_a_CASAL_that_fails_without_a_write(string memory, bool allowed)
    {
        var run = Columns.Run(memory, "0:X1=1 /\\ 1:X6=1",
            ["LDR W1,[X5]", "EOR W2,W1,W1", "MOV W3,#2", "CASAL W2,W3,[X0]", "MOV W4,#1", "STR W4,[X6]"], ["LDR W6,[X6]", "STR W6,[X5]"]);
        Assert.Equal(allowed, run.Finals.Any(f => f.Registers[0][1] == 1 && f.Registers[1][6] == 1));
    }
}
