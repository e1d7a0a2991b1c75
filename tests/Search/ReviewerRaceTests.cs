using SmmuActors.Tests.Support;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Search;

/// <summary>
/// The question of the v8 review, answered by exhaustive search of the shipped reviewer-race workload.
/// The model is never told an outcome; these tests pin what it derives, so a change to the model
/// that alters the answer is seen.
/// </summary>
[Trait("Suite", "Search")]
public class ReviewerRaceTests
{
    [Fact]
    public void AsPostedAnElidedTlbiCanLeaveAStaleTranslation()
    {
        var model = Scenarios.Shipped("reviewer-race.json", "as-posted");
        var (r, _, exhausted) = Scenarios.Exhaustive(model);
        Assert.True(exhausted);
        Assert.Equal([ViolationKind.StaleTranslation], r.ViolationsByKind.Keys);

        // The witness is Daniel Mentz's interleaving: the elision returns before cpu0's PTE store is
        // visible, and the SMMU walks the old PTE after SMMUEN=1. It is a shortest one.
        var cx = Counterexample.Capture(model, "reviewer-race.json", StrategyKind.Exhaustive, 0, 0, r.Witnesses[ViolationKind.StaleTranslation].Choices, ViolationKind.StaleTranslation);
        var run = Counterexample.Replay(model, cx.Choices, untimed: true, cx.Kind, recordTrace: true);
        Assert.Equal(cx.TraceHash, run.TraceHash);
        var steps = run.Trace!.Entries;
        long elided = steps.First(e => e.Events.Any(x => x.Kind() == EventKind.Elided)).Step;
        long fill = steps.Last(e => e.Events.Any(x => x.Kind() == EventKind.TlbFill)).Step;
        // The witness ends at the violation: the PTE store may still be in flight then.
        long pteStore = steps.FirstOrDefault(e => e.Message.Kind == MessageKind.Store && e.Message.Loc == model.Layout.Pte(0))?.Step ?? long.MaxValue;
        Assert.True(elided < fill && fill < pteStore, $"elided at {elided}, fill at {fill}, PTE store visible at {pteStore}");
        Assert.True(run.Steps < 110, $"a shortest witness, not {run.Steps} steps");
    }

    [Theory]
    [InlineData("recheck-mb")]
    [InlineData("noncoherent-walker")]
    public void WithTheStoreOrderedBeforeTheStopReadNoStaleTranslation(string variant)
    {
        var (r, states, exhausted) = Scenarios.Exhaustive(Scenarios.Shipped("reviewer-race.json", variant));
        Assert.True(exhausted);
        Assert.True(states > 500);
        Assert.Empty(r.ViolationsByKind);
        Assert.NotEqual(0UL, r.Coverage & (1UL << (int)ProtocolBranch.Elide));
    }

    [Fact]
    public void StopBeforeDisableElidesWhileTheSmmuCanStillWalk()
    {
        var (r, _, _) = Scenarios.Exhaustive(Scenarios.Shipped("reviewer-race.json", "stop-before-disable"));
        Assert.Contains(ViolationKind.StaleTranslation, r.ViolationsByKind.Keys);
    }

    [Fact]
    public void APinnedPteStoreDelayScriptsTheRaceInOneRun()
    {
        string json = File.ReadAllText(TestPaths.Scenario("reviewer-race.json"))
            .Replace("\"start\": [0, 10, 25, 40]", "\"start\": [10]")
            .Replace("\"bounds\"", "\"pins\": [ { \"from\": \"cpu0\", \"message\": \"store pte\", \"nth\": 1, \"delay\": 500 } ],\n  \"bounds\"");
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var asPosted = Scenarios.Random(Scenarios.Inline(json, "as-posted"), seed);
            var recheck = Scenarios.Random(Scenarios.Inline(json, "recheck-mb"), seed);
            Assert.Empty(recheck.Violations);
            if (asPosted.Violations.Any(v => v.Kind == ViolationKind.StaleTranslation)) return;
        }
        Assert.Fail("a 500-tick PTE store delay never produced the stale translation under as-posted");
    }
}
