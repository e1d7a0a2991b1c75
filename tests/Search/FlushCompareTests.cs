using SmmuActors.Model.Exploration;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// The suspend's flush waits for owner_prod to reach the target (protocol.md §0.9); whether "reach" is equality, as
/// mainline's owner hand-off compares, or at-or-past is not in the sources, so it is a switch (<c>flush-compare</c>).
/// Only an owner that reserved after STOP publishes beyond the target, so only broken gates tell the two apart.
/// </summary>
[Trait("Suite", "Search")]
public sealed class FlushCompareTests
{
    /// <summary>
    /// Past the gate, an owner that reserved after STOP can move owner_prod beyond the target before the flush's poll
    /// arrives: equality never holds again and the drain hangs there. At-or-past ends those waits, so fewer states have
    /// a drain that can never end; the kinds stay, since the drain's CONS poll and CMD_SYNC hang on their own.
    /// </summary>
    [Theory]
    [InlineData("gate-outside-cas")]
    [InlineData("no-gate")]
    public void Equality_is_what_hangs_the_flush_when_an_owner_publishes_past_the_target(string preset)
    {
        var (equal, equalEndless) = EndlessDrains(preset, "flush-compare=equal");
        var (reached, reachedEndless) = EndlessDrains(preset, "flush-compare=reached");
        Assert.True(reachedEndless < equalEndless, $"endless drains: {equalEndless} with equality, {reachedEndless} at or past");
        Assert.Equal(Searched.Kinds(equal), Searched.Kinds(reached));
        Assert.Contains("drain-timeout", Searched.Kinds(reached));
    }

    /// <summary>As posted no reservation follows STOP, owner_prod stops at the target, and the two compares agree state for state.</summary>
    [Fact]
    public void As_posted_the_compare_changes_nothing()
    {
        var equal = Searched.ReviewerRace("as-posted", "flush-compare=equal");
        var reached = Searched.ReviewerRace("as-posted", "flush-compare=reached");
        Assert.Equal(equal.States, reached.States);
        Assert.Equal(Searched.Kinds(equal), Searched.Kinds(reached));
    }

    /// <summary>The search, and the states where some thread's drain wait can never end.</summary>
    static (ExhaustiveResult Result, int Endless) EndlessDrains(string preset, string setting)
    {
        var outcome = Searched.WithGraph(Scenarios.Shipped("reviewer-race.json", preset, setting));
        var ends = Liveness.Ends(outcome.Graph);
        int endless = 0;
        for (int t = 0; t < outcome.Graph.Threads; t++)
            for (int s = 0; s < outcome.Graph.Count; s++)
                if (outcome.Graph.Wait(s, t) == (byte)WaitKind.Drain && !ends[t][s]) endless++;
        return (outcome.Result, endless);
    }
}
