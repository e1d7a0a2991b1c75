using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// Load and store exclusives (docs/litmus.md, "Exclusives"): how they are read, what a store-exclusive may do (write with
/// status 0, or fail with status 1 and write nothing; always fail without a reservation), atomicity forbidding a write
/// between the load-exclusive's read and the store-exclusive's write, the acquire and release of LDAXR and STLXR, a retry
/// loop that closes, and what is refused with its line.
/// </summary>
[Trait("Suite", "Fast")]
public class ExclusiveTests
{
    const string File = "t.litmus";

    static LitmusTest Parse(string text) => LitmusParser.Parse(text, File);

    static Instr Only(string instruction) =>
        Assert.Single(Parse($"AArch64 T\n{{ 0:X1=x; }}\n P0 ;\n {instruction} ;\nexists (x=0)\n").Threads[0].Code);

    static LitmusRun Run(string condition, params string[][] threads) => Columns.Run("", condition, threads);

    static bool Reaches(LitmusRun run, Func<LitmusFinal, bool> state) => run.Finals.Any(state);

    [Theory]
    [InlineData("LDXR W2,[X1]", InstrKind.Ldxr, false, false, false)]
    [InlineData("LDAXR X2,[X1]", InstrKind.Ldxr, true, false, true)]
    [InlineData("STXR W3,W2,[X1]", InstrKind.Stxr, false, false, false)]
    [InlineData("STLXR W3,X2,[X1]", InstrKind.Stxr, false, true, true)]
    public void The_four_exclusives_are_read_with_their_ordering_and_width(string text, InstrKind kind, bool acquire, bool release, bool wide)
    {
        var i = Only(text);
        Assert.Equal((kind, acquire, release, wide, 1, 2), (i.Kind, i.Acquire, i.Release, i.Wide, i.Rn, i.Rt));
        if (kind == InstrKind.Stxr) Assert.Equal(3, i.Rs);
    }

    [Theory]
    [InlineData("LDXP X2,X3,[X1]", "unsupported instruction")]
    [InlineData("STXP W4,X2,X3,[X1]", "unsupported instruction")]
    [InlineData("LDXRB W2,[X1]", "unsupported instruction")]
    [InlineData("STLXRH W3,W2,[X1]", "unsupported instruction")]
    [InlineData("LDXR W2,[X1,#4]", "LDXR takes only [Xn]")]
    [InlineData("STXR X3,W2,[X1]", "the status register of STXR is a W register")]
    [InlineData("STXR W2,W2,[X1]", "CONSTRAINED UNPREDICTABLE")]
    [InlineData("STXR W1,W2,[X1]", "CONSTRAINED UNPREDICTABLE")]
    public void Pairs_byte_forms_and_unpredictable_operands_are_refused_with_their_line(string text, string reason)
    {
        var e = Assert.Throws<LitmusException>(() => Only(text));
        Assert.Equal((4, text), (e.Line, e.Construct));
        Assert.Contains(reason, e.Reason);
    }

    /// <summary>herd's A43: a paired store-exclusive writes (status 0) or fails (status 1, x unchanged), nothing else.</summary>
    [Fact]
    public void A_paired_store_exclusive_writes_with_status_0_or_fails_with_status_1_and_no_write()
    {
        var run = Run("x=3", ["MOV W2,#3", "LDXR W1,[X0]", "STXR W3,W2,[X0]"]);
        Assert.Equal([(0L, 3L), (1L, 0L)], run.Finals.Select(f => (f.Registers[0][3], f.Memory[0])).Order());
    }

    /// <summary>herd's L020 and L021: without a load-exclusive, or after a store-exclusive ended it, a store-exclusive fails.</summary>
    [Fact]
    public void Without_a_reservation_a_store_exclusive_always_fails()
    {
        var alone = Run("x=3", ["MOV W2,#3", "STXR W3,W2,[X0]"]);
        Assert.All(alone.Finals, f => Assert.Equal((1L, 0L), (f.Registers[0][3], f.Memory[0])));
        var second = Run("x=3", ["MOV W2,#2", "MOV W4,#3", "LDXR W1,[X0]", "STXR W3,W2,[X0]", "STXR W6,W4,[X0]"]);
        Assert.All(second.Finals, f => Assert.Equal(1L, f.Registers[0][6]));
        Assert.DoesNotContain(second.Finals, f => f.Memory[0] == 3);
    }

    /// <summary>
    /// atomic (rmw &amp; (fre; coe) empty): P1's store of 1 may land before P0's load-exclusive reads or after its write, never
    /// between; with it between, only the failing outcome is left.
    /// </summary>
    [Fact]
    public void Atomicity_forbids_another_write_between_the_read_and_the_successful_write()
    {
        var run = Run("x=2", ["LDXR W1,[X0]", "MOV W2,#2", "STXR W3,W2,[X0]"], ["MOV W2,#1", "STR W2,[X0]"]);
        Assert.False(Reaches(run, f => f.Registers[0][1] == 0 && f.Registers[0][3] == 0 && f.Memory[0] == 2));
        Assert.True(Reaches(run, f => f.Registers[0][1] == 0 && f.Registers[0][3] == 0 && f.Memory[0] == 1));
        Assert.True(Reaches(run, f => f.Registers[0][1] == 1 && f.Registers[0][3] == 0 && f.Memory[0] == 2));
        Assert.True(Reaches(run, f => f.Registers[0][1] == 0 && f.Registers[0][3] == 1 && f.Memory[0] == 1));
    }

    /// <summary>Two increments in retry loops: the search closes, and every execution that ends leaves x at 2.</summary>
    [Fact]
    public void Two_retry_loops_close_and_always_leave_both_increments()
    {
        string[] loop = ["L0:", "LDXR W1,[X0]", "ADD W2,W1,#1", "STXR W3,W2,[X0]", "CBNZ W3,L0"];
        var run = Run("x=2", loop, [.. loop]);
        Assert.NotEmpty(run.Finals);
        Assert.All(run.Finals, f => Assert.Equal(2L, f.Memory[0]));
    }

    /// <summary>MP with the flag written by a store-exclusive: STLXR and LDAXR order it (po; [L] and [A | Q]; po), STXR and LDXR do not.</summary>
    [Theory]
    [InlineData("STLXR", "LDAXR", false)]
    [InlineData("STXR", "LDAXR", true)]
    [InlineData("STLXR", "LDXR", true)]
    public void Release_and_acquire_exclusives_order_message_passing(string store, string load, bool stale)
    {
        var run = Run("1:X1=1 /\\ 1:X2=0",
            ["MOV W2,#1", "STR W2,[X5]", "LDXR W4,[X0]", $"{store} W3,W2,[X0]"],
            [$"{load} W1,[X0]", "LDR W2,[X5]"]);
        Assert.Equal(stale, Reaches(run, f => f.Registers[1][1] == 1 && f.Registers[1][2] == 0));
    }

    /// <summary>
    /// The status register depends on no read here (herd's riscv_sc): a branch on it does not order P0's load-exclusive
    /// before its later store, so P1 can see that store and still write what the load-exclusive read (LB).
    /// </summary>
    [Fact]
    public void A_branch_on_the_status_orders_nothing_after_the_load_exclusive()
    {
        var run = Run("0:X1=1 /\\ 1:X1=1",
            ["LDXR W1,[X0]", "MOV W4,#2", "STXR W3,W4,[X0]", "CBNZ W3,L0", "MOV W2,#1", "STR W2,[X5]", "L0:"],
            ["LDR W1,[X5]", "DMB SY", "MOV W2,#1", "STR W2,[X0]"]);
        Assert.True(Reaches(run, f => f.Registers[0][1] == 1 && f.Registers[0][3] == 0 && f.Registers[1][1] == 1));
    }

    [Fact]
    public void A_store_exclusive_to_another_location_or_size_than_its_load_exclusive_is_refused_with_its_line()
    {
        var place = Assert.Throws<LitmusException>(() => Run("x=1", ["LDXR W1,[X0]", "MOV W2,#1", "STXR W3,W2,[X5]"]));
        Assert.Equal((6, "STXR W3,W2,[X5]"), (place.Line, place.Construct));
        Assert.Contains("a 4-byte store-exclusive to y after a 4-byte load-exclusive of x", place.Reason);
        var size = Assert.Throws<LitmusException>(() => Run("x=1", ["LDXR X1,[X0]", "MOV W2,#1", "STXR W3,W2,[X0]"]));
        Assert.Contains("CONSTRAINED UNPREDICTABLE", size.Reason);
    }

    [Fact]
    public void A_store_exclusive_after_the_threads_own_write_to_the_reserved_location_is_refused()
    {
        var e = Assert.Throws<LitmusException>(() => Run("x=1", ["LDXR W1,[X0]", "MOV W2,#1", "STR W2,[X0]", "STXR W3,W2,[X0]"]));
        Assert.Equal((7, "STXR W3,W2,[X0]"), (e.Line, e.Construct));
        Assert.Contains("own write to the location", e.Reason);
    }
}
