using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Exploration;

/// <summary>
/// A stopped investigation saves a random witness from what its run showed, replaying nothing: one run of a long workload
/// takes seconds, and the stop's second is for printing. A witness whose run is not known is replayed once.
/// </summary>
[Trait("Suite", "Fast")]
public class InvestigationTests
{
    static CancellationToken Stopped() => new(canceled: true);

    /// <summary>A campaign's witness carries its run's trace hash, length and first violation of its kind: what a replay of its choices shows.</summary>
    [Fact]
    public void A_campaigns_witness_carries_what_its_run_showed()
    {
        var model = RaceWitness.Model;
        var witness = RandomBatch.Run(model, 1, 0, 6000).Witnesses[RaceWitness.Kind];
        var run = Assert.IsType<WitnessRun>(witness.Run);
        var replay = LocalEngine.Run(model, new ReplayStrategy(witness.Choices, model.Workload.Delays));
        Assert.Equal((replay.TraceHash, replay.Steps), (run.TraceHash, run.Steps));
        Assert.Equal(replay.Violations.First(v => v.Kind == RaceWitness.Kind).Detail, run.Detail);
    }

    /// <summary>
    /// Stopped before it begins, the witness is saved as its run found it. The run given here has a hash no run has, so a
    /// counterexample that carries it was built without a replay; it is marked cut short, with no shrink figures.
    /// </summary>
    [Fact]
    public void Stopped_it_saves_the_witness_from_its_run_without_replaying_it()
    {
        var witness = new Witness(RaceWitness.Kind, 7, [.. RaceWitness.Choices], new WitnessRun("0123456789abcdef0123456789abcdef", 123, "as the run said"));
        var cx = Investigation.Investigate(RaceWitness.Model, "reviewer-race.json", StrategyKind.Random, 1, witness, Stopped());
        Assert.Equal(("0123456789abcdef0123456789abcdef", 123L, "as the run said"), (cx.TraceHash, cx.Steps, cx.Detail));
        Assert.Equal((7L, "stale-translation", "random"), (cx.RunIndex, cx.Kind, cx.Strategy));
        Assert.Equal(RaceWitness.Choices, cx.Choices);
        Assert.True(cx.ShrinkCutShort);
        Assert.Null(cx.StepsBeforeShrink);
    }

    /// <summary>A witness whose run is not known (a campaign record stored before witnesses carried it) is replayed once, unshrunk.</summary>
    [Fact]
    public void Stopped_with_no_run_known_it_replays_the_witness_once()
    {
        var witness = new Witness(RaceWitness.Kind, 0, [.. RaceWitness.Choices]);
        var cx = Investigation.Investigate(RaceWitness.Model, "reviewer-race.json", StrategyKind.Random, 1, witness, Stopped());
        var replay = LocalEngine.Run(RaceWitness.Model, new ReplayStrategy(RaceWitness.Choices, RaceWitness.Model.Workload.Delays));
        Assert.Equal((replay.TraceHash, replay.Steps), (cx.TraceHash, cx.Steps));
        Assert.True(cx.ShrinkCutShort);
        Assert.Null(cx.StepsBeforeShrink);
    }

    /// <summary>Not stopped, the witness is shrunk whatever run it carries: the run only stands in for a replay after a stop.</summary>
    [Fact]
    public void Not_stopped_it_shrinks_the_witness()
    {
        var witness = new Witness(RaceWitness.Kind, 0, [.. RaceWitness.Choices], new WitnessRun("0123456789abcdef0123456789abcdef", 123, "as the run said"));
        var cx = Investigation.Investigate(RaceWitness.Model, "reviewer-race.json", StrategyKind.Random, 1, witness);
        Assert.Equal(RaceWitness.Saved().TraceHash, cx.TraceHash);
        Assert.Null(cx.ShrinkCutShort);
        Assert.True(cx.Steps < cx.StepsBeforeShrink);
    }
}
