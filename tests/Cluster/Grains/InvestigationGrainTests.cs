using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Grains;

/// <summary>
/// A shrink in a silo, started and then polled (the client's way: a poll to a lost silo fails within seconds, where one
/// long call would wait out its response timeout): the same counterexample as the one call gives, a stop that comes
/// first still keeps the witness, and an activation that started none says the investigation was lost.
/// </summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class InvestigationGrainTests(GrainClusterFixture fixture)
{
    static readonly Witness Race = new(RaceWitness.Kind, 0, [.. RaceWitness.Choices]);
    static readonly ScenarioSpec Spec = GrainScenarios.Spec("reviewer-race.json");

    static async Task<Counterexample> Followed(IInvestigationGrain g)
    {
        while (true)
            if (await g.Poll(TimeSpan.FromMilliseconds(200)) is { } found) return found;
    }

    [Fact]
    public async Task Started_and_polled_it_gives_the_counterexample_one_call_gives()
    {
        var polled = fixture.Client.GetGrain<IInvestigationGrain>(Guid.NewGuid());
        await polled.Start(Spec, StrategyKind.Random, 1, Race);
        var cx = await Followed(polled);
        var called = await fixture.Client.GetGrain<IInvestigationGrain>(Guid.NewGuid()).Investigate(Spec, StrategyKind.Random, 1, Race);
        Assert.Equal((called.TraceHash, called.Steps, called.ShrinkCutShort), (cx.TraceHash, cx.Steps, cx.ShrinkCutShort));
        Assert.True(cx.Steps < cx.StepsBeforeShrink, $"not shrunk: {cx.Steps} steps of {cx.StepsBeforeShrink}");
    }

    /// <summary>
    /// Stopped first, the silo saves the witness as its run found it, which crosses the wire with the witness (the run given
    /// has a hash no run has (well formed, as a counterexample from a silo must be), so a counterexample that carries it was not replayed); a witness without one (a record stored
    /// before witnesses carried it) is replayed there once. Either way unshrunk.
    /// </summary>
    [Fact]
    public async Task A_stop_that_lands_before_the_start_keeps_the_witness_unshrunk()
    {
        var replay = LocalEngine.Run(RaceWitness.Model, new ReplayStrategy(RaceWitness.Choices, RaceWitness.Model.Workload.Delays));
        var detail = replay.Violations.First(v => v.Kind == RaceWitness.Kind).Detail;
        var given = new WitnessRun("0123456789abcdef0123456789abcdef", 321, "as found");
        foreach (var (witness, run) in new[] { (Race, new WitnessRun(replay.TraceHash, replay.Steps, detail)), (Race with { Run = given }, given) })
        {
            var g = fixture.Client.GetGrain<IInvestigationGrain>(Guid.NewGuid());
            await g.Stop();
            await g.Start(Spec, StrategyKind.Random, 1, witness);
            var cx = await Followed(g);
            Assert.Equal(Naming.Kebab(RaceWitness.Kind), cx.Kind);
            Assert.True(cx.ShrinkCutShort);
            Assert.Null(cx.StepsBeforeShrink);
            Assert.Equal(run, new WitnessRun(cx.TraceHash, cx.Steps, cx.Detail));
        }
    }

    [Fact]
    public async Task An_activation_that_started_none_says_the_investigation_was_lost()
    {
        var e = await Assert.ThrowsAsync<InvestigationLostException>(() => fixture.Client.GetGrain<IInvestigationGrain>(Guid.NewGuid()).Poll(TimeSpan.Zero));
        Assert.Contains("never started here", e.Message);
    }
}
