using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// Where the thread must wait for what an atomic returns (an acquire's read, a DMB LD after it, a later use of the returned
/// register), it waits for the atomic's read, not its write (docs/litmus.md, "Atomics whose write waits"): aarch64.cat
/// orders a later access after the read only, but where the atomic is acquire-release, or a barrier, a release or the
/// location orders the write too. Each is an MP: P0's atomic writes 1 to x, then P0 stores 1 to y; P1 reads y with LDAR,
/// then x. The explorer once did these atomics in one step at memory, and waiting for the reply ordered the store after
/// the write: every row said Forbidden.
/// </summary>
[Trait("Suite", "Fast")]
public class AtomicWaitTests
{
    static bool Missed(LitmusRun run) => run.Finals.Any(f => f.Memory[0] == 1 && f.Registers[1][1] == 1 && f.Registers[1][2] == 0);

    static LitmusRun Mp(params string[] p0) =>
        Columns.Run("", "x=1 /\\ 1:X1=1 /\\ 1:X2=0", ["MOV W1,#0", "MOV W2,#1", .. p0], ["LDAR W1,[X5]", "LDR W2,[X0]"]);

    /// <summary>
    /// An acquire atomic orders later accesses after its read ([A | Q]; po), not its write, so P1 may see the store of y
    /// and miss the write (Allowed); an acquire-release one orders its write before them ([range([A]; amo; [L])]; po), as
    /// does a store-release after any atomic (po; [L]): Forbidden.
    /// </summary>
    [Theory]
    [InlineData("CASA W1,W2,[X0]", "STR W3,[X5]", true)]
    [InlineData("SWPA W2,W4,[X0]", "STR W3,[X5]", true)]
    [InlineData("LDADDA W2,W4,[X0]", "STR W3,[X5]", true)]
    [InlineData("LDEORA W2,W4,[X0]", "STR W3,[X5]", true)]
    [InlineData("CASAL W1,W2,[X0]", "STR W3,[X5]", false)]
    [InlineData("SWPAL W2,W4,[X0]", "STR W3,[X5]", false)]
    [InlineData("LDADDAL W2,W4,[X0]", "STR W3,[X5]", false)]
    [InlineData("SWPA W2,W4,[X0]", "STLR W3,[X5]", false)]
    public void An_acquire_atomic_orders_a_later_store_after_its_read_only(string atomic, string store, bool missed) =>
        Assert.Equal(missed, Missed(Mp(atomic, "MOV W3,#1", store)));

    /// <summary>
    /// DMB LD orders the reads before it that return a value ([R \ NoRet]; po; [dmb.ld]; po): an atomic's read, not its
    /// write, so a later store may be seen first (Allowed), a release atomic's write included (its L orders it after earlier
    /// accesses, not before later ones). DMB ST orders the write before later writes ([W]; po; [dmb.st]; po; [W]), a full
    /// barrier every access, and an acquire-release atomic's write goes before all later accesses anyway: Forbidden.
    /// </summary>
    [Theory]
    [InlineData("SWP W2,W4,[X0]", "DMB LD", true)]
    [InlineData("SWPL W2,W4,[X0]", "DMB LD", true)]
    [InlineData("SWPA W2,W4,[X0]", "DMB LD", true)]
    [InlineData("LDADD W2,W4,[X0]", "DMB LD", true)]
    [InlineData("CAS W1,W2,[X0]", "DMB LD", true)]
    [InlineData("STADD W2,[X0]", "DMB LD", true)]
    [InlineData("SWPAL W2,W4,[X0]", "DMB LD", false)]
    [InlineData("SWP W2,W4,[X0]", "DMB ST", false)]
    [InlineData("SWPA W2,W4,[X0]", "DMB ST", false)]
    [InlineData("LDADDA W2,W4,[X0]", "DMB SY", false)]
    public void A_barrier_after_an_atomic_orders_its_write_only_where_aarch64_cat_does(string atomic, string barrier, bool missed) =>
        Assert.Equal(missed, Missed(Mp(atomic, barrier, "MOV W3,#1", "STR W3,[X5]")));

    /// <summary>
    /// What a SWP or LDop returns takes its data from the atomic's read (herd's swp_or_amo: rmem -data-> wreg), so a store of
    /// a value computed from it (data) or after a branch on it (ctrl; [W]) is ordered after that read, not after the write
    /// (Allowed); with an acquire-release atomic it is: Forbidden.
    /// </summary>
    [Theory]
    [InlineData("SWP W2,W4,[X0]", "EOR W7,W4,W4", "ADD W3,W7,#1", true)]
    [InlineData("LDADD W2,W4,[X0]", "EOR W7,W4,W4", "ADD W3,W7,#1", true)]
    [InlineData("SWPL W2,W4,[X0]", "CBNZ W4,L", "L:", true)]
    [InlineData("SWPAL W2,W4,[X0]", "EOR W7,W4,W4", "ADD W3,W7,#1", false)]
    public void A_use_of_what_an_atomic_returned_follows_its_read_only(string atomic, string use, string then, bool missed) =>
        Assert.Equal(missed, Missed(Mp(atomic, "MOV W3,#1", use, then, "STR W3,[X5]")));

    /// <summary>
    /// What orders the write or the read still does: a later store of its location goes after the write (coherence: x never
    /// ends 1), and on 2+2W, for x to end 1 the read must take P1's store of x (atomicity), after P1's store of y (DMB SY),
    /// and the acquire orders P0's store of y after that read, so y cannot end 1 (Forbidden); a plain SWP's read orders
    /// nothing, and it may (Allowed).
    /// </summary>
    [Theory]
    [InlineData("SWPA W2,W4,[X0]", false)]
    [InlineData("SWP W2,W4,[X0]", true)]
    public void The_write_keeps_what_orders_it(string atomic, bool cycle)
    {
        var coherence = Columns.Run("", "x=1", ["MOV W2,#1", atomic, "MOV W3,#2", "STR W3,[X0]"]);
        Assert.DoesNotContain(coherence.Finals, f => f.Memory[0] == 1);
        var run = Columns.Run("", "x=1 /\\ y=1",
            ["MOV W2,#1", atomic, "MOV W3,#2", "STR W3,[X5]"], ["MOV W1,#1", "STR W1,[X5]", "DMB SY", "MOV W3,#2", "STR W3,[X0]"]);
        Assert.Equal(cycle, run.Finals.Any(f => f.Memory[0] == 1 && f.Memory[1] == 1));
    }

    /// <summary>
    /// A later atomic of the same location waits for the acquire atomic's write, which goes as the read is answered, so it
    /// waits for nothing the acquire did not: explored, not refused, and P1 may miss x's first write (Allowed: nothing
    /// orders P0's store of y after either write).
    /// </summary>
    [Fact]
    public void A_later_access_of_the_location_after_an_acquire_atomic_is_explored()
    {
        var run = Mp("SWPA W2,W4,[X0]", "MOV W8,#2", "SWP W8,W9,[X0]", "MOV W3,#1", "STR W3,[X5]");
        Assert.Contains(run.Finals, f => f.Memory[0] == 2 && f.Registers[1][1] == 1 && f.Registers[1][2] == 0);
    }
}
