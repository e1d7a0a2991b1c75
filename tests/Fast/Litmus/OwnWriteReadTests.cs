using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// A read of the thread's own write takes it by forwarding, before it is visible: a load-acquire reading the thread's own
/// store-exclusive's or atomic's write, and an atomic's read of any own earlier write. herd's aarch64.cat orders such a read
/// after the write only through a release before an acquire (<c>[L]; po; [A]</c>; <c>rfi</c> is not in <c>ob</c>), and an
/// acquire reading an exclusive's or atomic's write after that exclusive's or atomic's read (<c>rmw; lrs; [A | Q]</c> in
/// <c>aob</c>). Each Allowed shape here was once refused, the explorer having performed the read once the write was visible
/// (it answered Never); each Forbidden one is the same shape with the ordering Arm has.
/// </summary>
[Trait("Suite", "Fast")]
public class OwnWriteReadTests
{
    static readonly string[] StoreYThenReadX = ["MOV W1,#1", "STR W1,[X5]", "DMB SY", "LDR W2,[X0]"];

    public static TheoryData<string[]> AcquireOfOwnWrite =>
    [
        ["MOV W2,#1", "SWP W2,W1,[X0]", "LDAR W4,[X0]", "LDR W6,[X5]"],
        ["LDXR W1,[X0]", "MOV W2,#1", "STXR W3,W2,[X0]", "LDAR W4,[X0]", "LDR W6,[X5]"],
        ["LDXR W1,[X0]", "MOV W2,#1", "STLXR W3,W2,[X0]", "LDAPR W4,[X0]", "LDR W6,[X5]"],
    ];

    /// <summary>
    /// SB+swp-ldar+dmb.sy and SB+lxsx-ldar+dmb.sy (once in the corpus as Forbidden, by the catalogue's [range(rmw)]; rfi; [A]),
    /// and the same with LDAPR after an STLXR, which no release orders: the acquire reads the SWP's or STXR's write, ordered
    /// after the SWP's or LDXR's read only, so P0 reads y before its write of x is visible to P1: Allowed.
    /// </summary>
    [Theory]
    [MemberData(nameof(AcquireOfOwnWrite))]
    public void A_load_acquire_takes_an_own_atomic_or_exclusive_write_before_another_thread_sees_it(string[] p0)
    {
        var run = Columns.Run("", "0:X4=1 /\\ 0:X6=0 /\\ 1:X2=0", p0, StoreYThenReadX);
        Assert.Contains(run.Finals, f => f.Registers[0][4] == 1 && f.Registers[0][6] == 0 && f.Registers[1][2] == 0);
    }

    /// <summary>Where Arm orders it: a release SWPL before the LDAR ([L]; po; [A]) or a DMB SY between: the SB is Forbidden.</summary>
    [Theory]
    [InlineData("SWPL W2,W1,[X0]", "NOP")]
    [InlineData("SWP W2,W1,[X0]", "DMB SY")]
    public void A_load_acquire_of_an_own_atomic_write_is_ordered_where_Arm_orders_it(string swp, string between)
    {
        var run = Columns.Run("", "0:X4=1", ["MOV W2,#1", swp, between, "LDAR W4,[X0]", "LDR W6,[X5]"], StoreYThenReadX);
        Assert.Contains(run.Finals, f => f.Registers[0][4] == 1);
        Assert.DoesNotContain(run.Finals, f => f.Registers[0][4] == 1 && f.Registers[0][6] == 0 && f.Registers[1][2] == 0);
    }

    /// <summary>
    /// A plain load reading the thread's own atomic write takes it by forwarding too, ordered after what that write's value
    /// comes from and nothing else (<c>(addr | data); rfi</c> in dob; herd's catalogue MP+rel+CAS-ok-RtM-addr Forbidden,
    /// MP+rel+CAS-addr Allowed). MP: P1 reads y, then an atomic of z, then z back, and x through an address dependency on
    /// that read. With the atomic's value taken from the read of y (a SWP's Rs, a CAS's Rt) the read of x follows the read
    /// of y: Forbidden. With a constant it does not (the atomic's own read only controls its write: herd's swp_or_amo and
    /// aarch64_cas_ok): Allowed. Before, such a load was refused (it was performed once the atomic's write was visible,
    /// which orders more than Arm). An LDop's is still refused (LitmusParserTests).
    /// </summary>
    [Theory]
    [InlineData("SWP W1,W2,[X6]", false)]
    [InlineData("CAS W10,W1,[X6]", false)]
    [InlineData("SWP W9,W2,[X6]", true)]
    [InlineData("CAS W10,W9,[X6]", true)]
    public void A_plain_load_of_an_own_atomic_write_follows_only_what_the_write_takes_its_value_from(string atomic, bool allowed)
    {
        var run = Columns.Run("", "1:X1=1 /\\ 1:X8=0", ["MOV W1,#1", "STR W1,[X0]", "STLR W1,[X5]"],
            ["LDR W1,[X5]", "MOV W9,#1", atomic, "LDR W3,[X6]", "EOR W4,W3,W3", "LDR W8,[X0,W4,SXTW]"]);
        Assert.Contains(run.Finals, f => f.Registers[1][1] == 1 && f.Registers[1][8] == 1);
        Assert.Equal(allowed, run.Finals.Any(f => f.Registers[1][1] == 1 && f.Registers[1][8] == 0));
    }

    static readonly string[] StoreXThenReleaseZ = ["MOV W1,#1", "STR W1,[X0]", "STLR W1,[X6]"];

    /// <summary>
    /// herd's aob (rmw; lrs; [A | Q]): an acquire reading the thread's own SWP's or STXR's write is ordered after that atomic's or
    /// LDXR's read, whichever write it reads, though the write's value is a constant. Here that read reads P1's release of z,
    /// so the read of x after the acquire sees P1's store: MP, Forbidden. The acquire takes the write by forwarding, which
    /// alone would let it (and the read of x) go before the read of z.
    /// </summary>
    [Theory]
    [InlineData(new[] { "MOV W4,#2", "SWP W4,W5,[X6]", "LDAR W3,[X6]", "LDR W8,[X0]" }, "1:X5=1")]
    [InlineData(new[] { "MOV W4,#2", "SWP W4,W5,[X6]", "LDAPR W3,[X6]", "LDR W8,[X0]" }, "1:X5=1")]
    [InlineData(new[] { "LDXR W5,[X6]", "MOV W4,#2", "STXR W7,W4,[X6]", "LDAR W3,[X6]", "LDR W8,[X0]" }, "1:X5=1 /\\ 1:X7=0")]
    [InlineData(new[] { "MOV W4,#2", "SWP W4,W5,[X6]", "MOV W9,#2", "SWPA W9,W3,[X6]", "LDR W8,[X0]" }, "1:X5=1")]
    public void A_load_acquire_of_an_own_atomic_write_follows_the_atomics_read(string[] p1, string readZ)
    {
        var run = Columns.Run("", $"{readZ} /\\ 1:X8=0", StoreXThenReleaseZ, p1);
        Assert.Contains(run.Finals, f => f.Registers[1][5] == 1 && f.Registers[1][3] == 2 && f.Registers[1][8] == 1);
        Assert.DoesNotContain(run.Finals, f => f.Registers[1][5] == 1 && f.Registers[1][7] == 0 && f.Registers[1][8] == 0);
    }

    /// <summary>
    /// The same with an atomic that is no acquire reading the SWP's write, and the read of x depending on what it returned:
    /// it takes that write by forwarding (rfi is not in ob), whose value and address depend on no read, so nothing orders the
    /// read of x after the SWP's read of P1's release: Allowed.
    /// </summary>
    [Fact]
    public void An_atomic_takes_an_own_atomic_write_by_forwarding()
    {
        var run = Columns.Run("", "1:X5=1 /\\ 1:X3=2 /\\ 1:X8=0", StoreXThenReleaseZ,
            ["MOV W4,#2", "SWP W4,W5,[X6]", "MOV W9,#3", "SWP W9,W3,[X6]", "EOR W7,W3,W3", "LDR W8,[X0,W7,SXTW]"]);
        Assert.Contains(run.Finals, f => f.Registers[1][5] == 1 && f.Registers[1][3] == 2 && f.Registers[1][8] == 0);
    }

    /// <summary>
    /// An atomic that returns nothing, split because an acquire follows: its read is herd's NoRet, which DMB LD does not order
    /// ([Exp &amp; (R \ NoRet)]; po; [dmb.ld]), so the read of x may miss P1's store though the STADD read P1's release of z:
    /// Allowed. An LDADD returns what it read, and DMB LD orders that read: Forbidden.
    /// </summary>
    [Theory]
    [InlineData("STADD W4,[X6]", true)]
    [InlineData("LDADD W4,W3,[X6]", false)]
    public void A_split_atomic_that_returns_nothing_is_no_read_DMB_LD_orders(string atomic, bool allowed)
    {
        var run = Columns.Run("", "z=2 /\\ 1:X8=0", StoreXThenReleaseZ, ["MOV W4,#1", atomic, "DMB LD", "LDR W8,[X0]", "LDAPR W9,[X5]"]);
        Assert.Contains(run.Finals, f => f.Memory[2] == 2);
        Assert.Equal(allowed, run.Finals.Any(f => f.Memory[2] == 2 && f.Registers[1][8] == 0));
    }

    /// <summary>
    /// A split atomic's write waits for its read, and a later atomic of its location waits for that write, stopping the thread:
    /// the store of y after it would follow the first atomic's read, which Arm does not order before it, so the LB outcome
    /// where that read takes P1's write of x, made after P1 read y as 1, is Allowed, and the explorer would say Never.
    /// LitmusLimits counts the split atomic as held back (it calls LitmusCpu.Splits too) and refuses the test.
    /// </summary>
    [Fact]
    public void An_access_of_a_split_atomics_location_with_a_store_after_it_is_refused()
    {
        var e = Assert.Throws<LitmusException>(() => Columns.Run("", "0:X1=2 /\\ 1:X1=1",
            ["MOV W2,#1", "SWP W2,W1,[X0]", "SWP W2,W3,[X0]", "MOV W5,#1", "STR W5,[X5]"], ["LDR W1,[X5]", "DMB SY", "MOV W2,#2", "STR W2,[X0]"]));
        Assert.Equal((6, "SWP W2,W3,[X0]"), (e.Line, e.Construct));
        Assert.StartsWith("unsupported: an access of a location an earlier store or atomic of this thread may still hold back", e.Reason);
    }

    /// <summary>
    /// SB+str-swpa+dmb.sy: the SWPA reads P0's own store of 1 (rfi), which Arm does not order before it, and the load of y after
    /// the acquire may miss P1's store while P1 reads x as 0: Allowed. When P1 only writes x after its store of y, a final x of 2
    /// puts P1's write before P0's store, which the SWPA read before it was visible: Allowed too.
    /// </summary>
    [Fact]
    public void An_atomic_takes_an_own_store_before_another_thread_sees_it()
    {
        string[] p0 = ["MOV W1,#1", "STR W1,[X0]", "MOV W6,#2", "SWPA W6,W2,[X0]", "LDR W3,[X5]"];
        var reads = Columns.Run("", "0:X2=1 /\\ 0:X3=0 /\\ 1:X2=0", p0, StoreYThenReadX);
        Assert.Contains(reads.Finals, f => f.Registers[0][2] == 1 && f.Registers[0][3] == 0 && f.Registers[1][2] == 0);
        var writes = Columns.Run("", "0:X2=1 /\\ 0:X3=0 /\\ x=2", p0, ["MOV W1,#1", "STR W1,[X5]", "DMB SY", "MOV W2,#3", "STR W2,[X0]"]);
        Assert.Contains(writes.Finals, f => f.Registers[0][2] == 1 && f.Registers[0][3] == 0 && f.Memory[0] == 2);
    }

    /// <summary>Where Arm orders it: a store-release before the SWPA ([L]; po; [A]) or a DMB SY between: the SB is Forbidden.</summary>
    [Theory]
    [InlineData("STLR W1,[X0]", "NOP")]
    [InlineData("STR W1,[X0]", "DMB SY")]
    public void An_atomic_reads_an_own_store_in_order_where_Arm_orders_it(string store, string between)
    {
        var run = Columns.Run("", "0:X3=0", ["MOV W1,#1", store, between, "MOV W6,#2", "SWPA W6,W2,[X0]", "LDR W3,[X5]"], StoreYThenReadX);
        Assert.Contains(run.Finals, f => f.Registers[0][2] == 1);
        Assert.DoesNotContain(run.Finals, f => f.Registers[0][2] == 1 && f.Registers[0][3] == 0 && f.Registers[1][2] == 0);
    }

    static readonly string[] StoreXThenReleaseY = ["MOV W1,#1", "STR W1,[X0]", "MOV W2,#1", "STLR W2,[X5]"];

    /// <summary>
    /// P1 of an MP whose writer releases: it reads y, branches on it (which orders its store of z after that read, ctrl;
    /// [W]), and reads its own z before it reads x. <paramref name="between"/> goes between the branch and the store,
    /// <paramref name="stored"/> is the register stored, <paramref name="own"/> the read of z and what sets it up,
    /// <paramref name="last"/> the read of x.
    /// </summary>
    static string[] ReadYThenOwnZ(string between, string[] own, string last, string stored = "W2") =>
        ["LDR W1,[X5]", "CBZ W1,LC00", "LC00:", between, "MOV W2,#1", $"STR {stored},[X6]", .. own, last];

    static readonly string[] SwpThenAddressOfX = ["MOV W4,#2", "SWP W4,W3,[X6]", "EOR W7,W3,W3"];

    /// <summary>
    /// herdtools7's aarch64-pick catalogue (Pick1, T99 Allowed): no other thread touches z, yet the order shows at x. The SWP
    /// takes the thread's own store of z early (rfi is not in ob), and the read of x depends on the SWP's read only, so
    /// nothing orders it after the read of y: 1:X1=1 /\ 1:X8=0 is Allowed.
    /// </summary>
    [Fact]
    public void An_atomic_takes_an_own_store_the_thread_ordered_after_a_read_by_forwarding()
    {
        var run = Columns.Run("", "1:X1=1 /\\ 1:X8=0", StoreXThenReleaseY, ReadYThenOwnZ("NOP", SwpThenAddressOfX, "LDR W8,[X0,W7,SXTW]"));
        Assert.Contains(run.Finals, f => f.Registers[1][1] == 1 && f.Registers[1][3] == 1 && f.Registers[1][8] == 0);
    }

    /// <summary>
    /// The same, Forbidden where Arm orders the read of x after the read of y: a full barrier between the read of y and the store
    /// of z, an ISB after the branch (ctrl; [ISB]; po; [R]), or the store's value taken from the read of y (data; lrs, in
    /// dob), which the SWP's read forwards.
    /// </summary>
    [Theory]
    [InlineData("DMB SY", "W2")]
    [InlineData("ISB", "W2")]
    [InlineData("NOP", "W1")]
    public void An_atomic_reading_an_own_store_is_ordered_where_Arm_orders_it(string between, string stored)
    {
        var run = Columns.Run("", "1:X1=1", StoreXThenReleaseY, ReadYThenOwnZ(between, SwpThenAddressOfX, "LDR W8,[X0,W7,SXTW]", stored));
        Assert.Contains(run.Finals, f => f.Registers[1][1] == 1 && f.Registers[1][3] == 1);
        Assert.DoesNotContain(run.Finals, f => f.Registers[1][1] == 1 && f.Registers[1][8] == 0);
    }

    /// <summary>
    /// herdtools7's Pick2, Pick3-mod and T99-excls (Allowed): an acquire that reads the thread's own atomic write, which the
    /// branch ordered after the read of y. herd's aob orders the acquire after the atomic's read only, which nothing orders
    /// after the read of y (the STADD returns nothing, so its read is split from its write and may take the store by forwarding),
    /// so the read of x after the acquire is not ordered after the read of y either.
    /// </summary>
    [Theory]
    [InlineData("LDAR W3,[X6]")]
    [InlineData("LDAPR W3,[X6]")]
    public void A_load_acquire_takes_an_own_atomic_write_the_thread_ordered_after_a_read_by_forwarding(string acquire)
    {
        var run = Columns.Run("", "1:X1=1 /\\ 1:X8=0", StoreXThenReleaseY, ReadYThenOwnZ("NOP", ["MOV W4,#1", "STADD W4,[X6]", acquire], "LDR W8,[X0]"));
        Assert.Contains(run.Finals, f => f.Registers[1][1] == 1 && f.Registers[1][3] == 2 && f.Registers[1][8] == 0);
    }

    /// <summary>The same, Forbidden with an ISB after the branch or the store's value taken from the read of y.</summary>
    [Theory]
    [InlineData("ISB", "W2")]
    [InlineData("NOP", "W1")]
    public void A_load_acquire_of_an_own_atomic_write_is_ordered_where_Arm_orders_it_after_a_read(string between, string stored)
    {
        var run = Columns.Run("", "1:X1=1", StoreXThenReleaseY, ReadYThenOwnZ(between, ["MOV W4,#1", "STADD W4,[X6]", "LDAPR W3,[X6]"], "LDR W8,[X0]", stored));
        Assert.Contains(run.Finals, f => f.Registers[1][1] == 1 && f.Registers[1][3] == 2);
        Assert.DoesNotContain(run.Finals, f => f.Registers[1][1] == 1 && f.Registers[1][8] == 0);
    }
}
