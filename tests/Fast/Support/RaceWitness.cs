using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Support;

/// <summary>
/// The reviewer's race under as-posted, found once by a seeded random campaign (timed runs, which the
/// shrinker works on) and shared by the report, shrinking and tracing tests: the witness choices, and
/// the shrunk counterexample.
/// </summary>
public static class RaceWitness
{
    public const ViolationKind Kind = ViolationKind.StaleTranslation;

    static readonly Lazy<(ScenarioModel Model, IReadOnlyList<long> Choices)> Found = new(() =>
    {
        var model = Scenarios.Shipped("reviewer-race.json");
        var campaign = RandomBatch.Run(model, 1, 0, 6000);
        return (model, (IReadOnlyList<long>)campaign.Witnesses[Kind].Choices);
    });

    static readonly Lazy<ShrinkResult> ShrunkRun = new(() => Shrinker.Shrink(Model, Choices, Kind));

    public static ScenarioModel Model => Found.Value.Model;
    public static IReadOnlyList<long> Choices => Found.Value.Choices;
    public static ShrinkResult Shrunk => ShrunkRun.Value;

    public static Counterexample Saved() =>
        Counterexample.CaptureShrunk(Shrunk, "scenarios/reviewer-race.json", StrategyKind.Random, 1, 0, Kind);

    /// <summary>The shrunk counterexample's run with its trace recorded.</summary>
    public static RunResult Replay(IRunObserver? observer = null)
    {
        var cx = Saved();
        return LocalEngine.Run(Shrunk.Model, new ReplayStrategy(cx.Choices, Shrunk.Model.Workload.Delays), recordTrace: true, observer: observer);
    }
}
