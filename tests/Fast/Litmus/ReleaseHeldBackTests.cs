using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// A store-release that must wait (for the load before it, for its data, or as a split atomic's write) is held back while
/// the stores after it go; when it goes it follows the stores before it in program order (<c>po; [L]</c>), not those sent
/// ahead of it (<see cref="SmmuActors.Model.Sim.Message.Releases"/>). P0 writes, P1 reads x with an acquire, then y: x at
/// X0, y at X5, z at X6. Before, the held release went behind every store sent before it, and each Allowed shape here said Never:
/// the axiomatic reading of aarch64.cat (<see cref="AxiomaticAgreementTests"/>) found it, as a sequentially consistent
/// outcome the explorer missed.
/// </summary>
[Trait("Suite", "Fast")]
public class ReleaseHeldBackTests
{
    static readonly string[] ReadXThenY = ["LDAR W1,[X0]", "LDR W2,[X5]"];

    static bool Seen(LitmusRun run, long first, long second) => run.Finals.Any(f => f.Registers[1][1] == first && f.Registers[1][2] == second);

    /// <summary>
    /// The release of x may be seen before the plain store of y after it: x=1 with y=0 is Allowed (even in some interleaving).
    /// The release waits for the load before it, or for its data (z=1), or is a split atomic's write, its old value used
    /// after the store of y, as in the shape the cross-check found.
    /// </summary>
    [Theory]
    [InlineData("LDR W4,[X6]", "MOV W3,#1", "STLR W3,[X0]", "MOV W2,#1", "STR W2,[X5]")]
    [InlineData("LDR W4,[X6]", "STLR W4,[X0]", "MOV W2,#1", "STR W2,[X5]")]
    [InlineData("LDR W4,[X6]", "MOV W3,#1", "SWPL W3,W7,[X0]", "MOV W2,#1", "STR W2,[X5]", "EOR W8,W7,W7")]
    [InlineData("MOV W3,#1", "LDADDL W3,W7,[X0]", "MOV W2,#1", "STR W2,[X5]", "CBNZ W7,L0", "L0:")]
    public void A_later_store_sent_while_a_release_is_held_back_may_be_seen_before_it(params string[] writer)
    {
        var run = Columns.Run("int z=1;", "1:X1=1 /\\ 1:X2=0", writer, ReadXThenY);
        Assert.True(Seen(run, 1, 0));
    }

    /// <summary>
    /// The stores before the release still go first, whether sent at once or held back for their data while a later
    /// store goes: x=1 with y=0 is Forbidden.
    /// </summary>
    [Theory]
    [InlineData("LDR W4,[X6]", "MOV W2,#1", "STR W2,[X5]", "MOV W3,#1", "STLR W3,[X0]")]
    [InlineData("LDR W4,[X6]", "STR W4,[X5]", "MOV W3,#1", "STLR W3,[X0]", "MOV W9,#2", "STR W9,[X6]")]
    [InlineData("LDR W4,[X6]", "STR W4,[X5]", "MOV W3,#1", "SWPL W3,W7,[X0]", "MOV W9,#2", "STR W9,[X6]", "EOR W8,W7,W7")]
    public void The_stores_before_a_held_back_release_are_seen_before_it(params string[] writer)
    {
        var run = Columns.Run("int z=1;", "1:X1=1 /\\ 1:X2=0", writer, ReadXThenY);
        Assert.False(Seen(run, 1, 0));
        Assert.True(Seen(run, 1, 1));
    }
}
