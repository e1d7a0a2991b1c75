using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// A loop that never ends is a cycle the search closes, not a step that never returns: a branch back makes each round a
/// state (docs/litmus.md, "Exclusives": retry loops). Such an execution has no final state, as herd lists none for the
/// executions it cuts.
/// </summary>
[Trait("Suite", "Fast")]
public class LoopTests
{
    static LitmusRun RunWithin(string code, TimeSpan limit)
    {
        var test = LitmusParser.Parse($"AArch64 T\n{{ 0:X0=x; }}\n P0 ;\n{code}\nexists (x=1)\n", "t.litmus");
        var search = Task.Run(() => LitmusExplorer.Run(test, CancellationToken.None));
        Assert.True(search.Wait(limit), "the search did not return");
        return search.Result;
    }

    [Theory]
    [InlineData(" L0: ;\n B L0 ;")]
    [InlineData(" MOV W2,#1 ;\n L0: ;\n STXR W3,W2,[X0] ;\n CBNZ W3,L0 ;")]
    public void A_loop_that_never_ends_closes_with_no_final_state(string code)
    {
        var run = RunWithin(code, TimeSpan.FromSeconds(60));
        Assert.Null(run.IncompleteReason);
        Assert.Empty(run.Finals);
    }

    /// <summary>A loop that may end keeps the final states of the executions that end: a retry whose store-exclusive may fail.</summary>
    [Fact]
    public void A_retry_loop_keeps_the_executions_that_end()
    {
        var run = RunWithin(" MOV W2,#1 ;\n L0: ;\n LDXR W1,[X0] ;\n STXR W3,W2,[X0] ;\n CBNZ W3,L0 ;", TimeSpan.FromSeconds(60));
        Assert.Null(run.IncompleteReason);
        var only = Assert.Single(run.Finals);
        Assert.Equal((0L, 1L), (only.Registers[0][3], only.Memory[0]));
    }
}
