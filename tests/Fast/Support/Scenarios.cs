using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Support;

/// <summary>Builds scenarios from inline workload JSON and runs them, for tests.</summary>
public static class Scenarios
{
    public static ScenarioModel Inline(string json, string variant = "as-posted", params string[] set) =>
        new(WorkloadLoader.Parse(json, "inline.json"), Variants.Build(variant, set));

    public static ScenarioModel Shipped(string file, string variant = "as-posted", params string[] set) =>
        new(WorkloadLoader.LoadFile(TestPaths.Scenario(file)), Variants.Build(variant, set));

    public static RunResult Random(ScenarioModel m, ulong seed, bool trace = false) =>
        LocalEngine.Run(m, new RandomStrategy(seed, m.Workload.Delays), recordTrace: trace, recordChoices: trace);

    public static (BatchResult Result, long States, bool Exhausted) Exhaustive(ScenarioModel m)
    {
        var search = Explorer.Exhaustive(m, null, CancellationToken.None);
        return (search.Result, search.States, search.Exhausted);
    }

    /// <summary>Every event of a traced run, with the step it happened at.</summary>
    public static IEnumerable<ModelEvent> Events(RunResult r) => r.Trace!.Entries.SelectMany(e => e.Events);
}
