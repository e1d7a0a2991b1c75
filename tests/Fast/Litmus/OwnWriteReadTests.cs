using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// A read of the thread's own store-exclusive's or atomic's write, or an atomic's read of any own write, is performed here
/// once that write is visible; herd's aarch64.cat orders it after the write only through a release before an acquire
/// (<c>[L]; po; [A]</c>; <c>rmw; lrs; [A | Q]</c> starts at the atomic's read, and <c>rfi</c> is not in <c>ob</c>). So
/// <see cref="LitmusLimits"/> refuses it where another thread can see the difference, and the close shapes where Arm orders
/// it anyway, or no other thread can tell, are explored. Each refused shape is an SB that Arm allows and the explorer,
/// unrefused, answered Never: P0's acquire or atomic is performed before its own write of x is visible, P1 stores y and
/// then misses that write.
/// </summary>
[Trait("Suite", "Fast")]
public class OwnWriteReadTests
{
    static readonly string[] StoreYThenReadX = ["MOV W1,#1", "STR W1,[X5]", "DMB SY", "LDR W2,[X0]"];

    static LitmusException Refused(string condition, string[] p0, string[] p1) =>
        Assert.Throws<LitmusException>(() => Columns.Run("", condition, p0, p1));

    /// <summary>
    /// SB+swp-ldar+dmb.sy and SB+lxsx-ldar+dmb.sy (once in the corpus as Forbidden, by the catalogue's [range(rmw)]; rfi; [A]):
    /// the LDAR reads the SWP's or STXR's write, ordered after the SWP's or LDXR's read only: Allowed.
    /// </summary>
    [Theory]
    [InlineData(new[] { "MOV W2,#1", "SWP W2,W1,[X0]", "LDAR W4,[X0]", "LDR W6,[X5]" }, 6)]
    [InlineData(new[] { "LDXR W1,[X0]", "MOV W2,#1", "STXR W3,W2,[X0]", "LDAR W4,[X0]", "LDR W6,[X5]" }, 7)]
    public void A_load_acquire_of_an_own_atomic_or_exclusive_write_another_thread_reads_is_refused(string[] p0, int line)
    {
        var e = Refused("0:X4=1 /\\ 0:X6=0 /\\ 1:X2=0", p0, StoreYThenReadX);
        Assert.Equal((line, "LDAR W4,[X0]"), (e.Line, e.Construct));
        Assert.StartsWith("unsupported: a load-acquire that may read this thread's own store-exclusive's or atomic's write", e.Reason);
    }

    /// <summary>LDAPR is ordered after no release, so even an STLXR's write does not order it: Allowed, refused.</summary>
    [Fact]
    public void An_LDAPR_of_an_own_release_exclusive_write_is_refused()
    {
        var e = Refused("0:X4=1 /\\ 0:X6=0 /\\ 1:X2=0", ["LDXR W1,[X0]", "MOV W2,#1", "STLXR W3,W2,[X0]", "LDAPR W4,[X0]", "LDR W6,[X5]"], StoreYThenReadX);
        Assert.Equal((7, "LDAPR W4,[X0]"), (e.Line, e.Construct));
        Assert.StartsWith("unsupported: an LDAPR that may read", e.Reason);
    }

    /// <summary>
    /// Explored where Arm orders it: a release SWPL before the LDAR ([L]; po; [A]) or a DMB SY between, so the SB is
    /// Forbidden; and where no other thread reads x, nothing can tell when the write became visible.
    /// </summary>
    [Theory]
    [InlineData("SWPL W2,W1,[X0]", "NOP", true)]
    [InlineData("SWP W2,W1,[X0]", "DMB SY", true)]
    [InlineData("SWP W2,W1,[X0]", "NOP", false)]
    public void A_load_acquire_of_an_own_atomic_write_is_explored_where_Arm_orders_it_or_none_can_tell(string swp, string between, bool readX)
    {
        string[] p1 = readX ? StoreYThenReadX : ["MOV W1,#1", "STR W1,[X5]", "DMB SY", "LDR W2,[X6]"];
        var run = Columns.Run("", "0:X4=1", ["MOV W2,#1", swp, between, "LDAR W4,[X0]", "LDR W6,[X5]"], p1);
        if (readX) Assert.DoesNotContain(run.Finals, f => f.Registers[0][1] == 0 && f.Registers[0][4] == 1 && f.Registers[0][6] == 0 && f.Registers[1][2] == 0);
    }

    /// <summary>
    /// SB+str-swpa+dmb.sy: the SWPA reads P0's own store of 1 (rfi), which Arm does not order before it, and the load of
    /// y after the acquire may miss P1's store while P1 reads x as 0: Allowed. Refused when P1 reads x, and when it only
    /// writes x after its store of y: a final x of 2 then puts P1's write before P0's store, which Arm allows to be seen
    /// after the SWPA's read.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_atomic_that_reads_an_own_store_another_thread_accesses_is_refused(bool p1Reads)
    {
        string[] p1 = p1Reads ? StoreYThenReadX : ["MOV W1,#1", "STR W1,[X5]", "DMB SY", "MOV W2,#3", "STR W2,[X0]"];
        var e = Refused("0:X2=1 /\\ 0:X3=0", ["MOV W1,#1", "STR W1,[X0]", "MOV W6,#2", "SWPA W6,W2,[X0]", "LDR W3,[X5]"], p1);
        Assert.Equal((7, "SWPA W6,W2,[X0]"), (e.Line, e.Construct));
        Assert.StartsWith("unsupported: an atomic that returns a value or is an acquire and may read this thread's own earlier write", e.Reason);
    }

    /// <summary>
    /// Explored where Arm orders it or the read orders nothing: a store-release before the SWPA ([L]; po; [A]: the SB is
    /// Forbidden), a DMB SY between, an STADD that returns nothing.
    /// </summary>
    [Theory]
    [InlineData("STLR W1,[X0]", "NOP", "SWPA W6,W2,[X0]", true)]
    [InlineData("STR W1,[X0]", "DMB SY", "SWPA W6,W2,[X0]", true)]
    [InlineData("STR W1,[X0]", "NOP", "STADD W6,[X0]", false)]
    public void An_atomic_that_reads_an_own_store_is_explored_where_Arm_orders_it_or_it_returns_nothing(string store, string between, string atomic, bool sb)
    {
        var run = Columns.Run("", "0:X3=0", ["MOV W1,#1", store, between, "MOV W6,#2", atomic, "LDR W3,[X5]"], StoreYThenReadX);
        if (sb) Assert.DoesNotContain(run.Finals, f => f.Registers[0][2] == 1 && f.Registers[0][3] == 0 && f.Registers[1][2] == 0);
    }

    static readonly string[] StoreXThenReleaseY = ["MOV W1,#1", "STR W1,[X0]", "MOV W2,#1", "STLR W2,[X5]"];

    /// <summary>
    /// P1 of an MP whose writer releases: it reads y, branches on it (which orders its store of z after that read, ctrl;
    /// [W]), and reads its own z before it reads x. <paramref name="between"/> goes between the branch and the store,
    /// <paramref name="own"/> is the read of z and what sets it up, <paramref name="last"/> the read of x.
    /// </summary>
    static string[] ReadYThenOwnZ(string between, string[] own, string last) =>
        ["LDR W1,[X5]", "CBZ W1,LC00", "LC00:", between, "MOV W2,#1", "STR W2,[X6]", .. own, last];

    static readonly string[] SwpThenAddressOfX = ["MOV W4,#2", "SWP W4,W3,[X6]", "EOR W7,W3,W3"];

    /// <summary>
    /// herdtools7's aarch64-pick catalogue (Pick1, T99 Allowed): no other thread touches z, yet the order shows at x. The
    /// SWP may take the thread's own store of z early (rfi is not in ob), and the read of x depends on the SWP's read only, so
    /// nothing orders it after the read of y: 1:X1=1 /\ 1:X8=0 is Allowed. The explorer's SWP reads once the store is
    /// visible, which the branch held back behind the read of y; unrefused, it answered Never.
    /// </summary>
    [Fact]
    public void An_atomic_that_reads_an_own_store_the_thread_ordered_after_a_read_is_refused_though_no_other_thread_touches_it()
    {
        var e = Refused("1:X1=1 /\\ 1:X8=0", StoreXThenReleaseY, ReadYThenOwnZ("NOP", SwpThenAddressOfX, "LDR W8,[X0,W7,SXTW]"));
        Assert.Equal((11, "SWP W4,W3,[X6]"), (e.Line, e.Construct));
        Assert.StartsWith("unsupported: an atomic that returns a value or is an acquire and may read this thread's own earlier write", e.Reason);
        Assert.Contains("may follow an earlier access of this thread that orders it", e.Reason);
    }

    /// <summary>
    /// herdtools7's Pick2 and T99-excls (Allowed): an acquire that reads the thread's own atomic write, which the branch
    /// ordered after the read of y. herd's aob orders the acquire after the atomic's read only, so the read of x after it is
    /// not ordered after the read of y either.
    /// </summary>
    [Theory]
    [InlineData("LDAR W3,[X6]", "unsupported: a load-acquire that may read")]
    [InlineData("LDAPR W3,[X6]", "unsupported: an LDAPR that may read")]
    public void A_load_acquire_of_an_own_atomic_write_the_thread_ordered_after_a_read_is_refused_though_no_other_thread_touches_it(string acquire, string reason)
    {
        var e = Refused("1:X1=1 /\\ 1:X8=0", StoreXThenReleaseY, ReadYThenOwnZ("NOP", ["MOV W4,#1", "STADD W4,[X6]", acquire], "LDR W8,[X0]"));
        Assert.Equal((12, acquire), (e.Line, e.Construct));
        Assert.StartsWith(reason, e.Reason);
        Assert.Contains("may follow an earlier access of this thread that orders it", e.Reason);
    }

    /// <summary>
    /// The same shapes explored where the order cannot show or Arm has it: a full barrier between the read of y and the store
    /// of z orders the read of x after the read of y anyway (Forbidden, and the explorer says so); with no access after the
    /// read of z there is nothing for the order to reach.
    /// </summary>
    [Theory]
    [InlineData("DMB SY", "LDR W8,[X0,W7,SXTW]", true)]
    [InlineData("NOP", "NOP", false)]
    public void An_atomic_that_reads_an_own_store_is_explored_where_the_order_cannot_show(string between, string last, bool forbidden)
    {
        var run = Columns.Run("", "1:X1=1", StoreXThenReleaseY, ReadYThenOwnZ(between, SwpThenAddressOfX, last));
        Assert.Contains(run.Finals, f => f.Registers[1][1] == 1 && f.Registers[1][3] == 1);
        if (forbidden) Assert.DoesNotContain(run.Finals, f => f.Registers[1][1] == 1 && f.Registers[1][8] == 0);
    }
}
