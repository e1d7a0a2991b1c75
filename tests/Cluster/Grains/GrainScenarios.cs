using SmmuActors.Tests.Support;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Grains;

/// <summary>Shipped scenarios as specs for the grain engine, and the local engine's answer to compare with.</summary>
public static class GrainScenarios
{
    public static IEnumerable<object[]> ShippedWorkloads() =>
        TestPaths.ShippedWorkloads().Select(f => new object[] { f });

    public static IEnumerable<string> Presets => Variants.Presets.Select(p => p.Name);

    public static ScenarioSpec Spec(string file, string preset = "as-posted") =>
        ScenarioSpec.From(Scenarios.Shipped(file, preset), TestPaths.Scenario(file));

    /// <summary>The local engine's merged result for runs [0, runs) of a campaign: what every grain campaign must equal.</summary>
    public static BatchResult Local(ScenarioSpec spec, ulong seed, long runs) =>
        RandomBatch.Run(spec.Build(), seed, 0, runs);

    public static void AssertSame(BatchResult expected, BatchResult actual)
    {
        Assert.Equal(expected.Runs, actual.Runs);
        Assert.Equal(expected.ViolationsByKind.OrderBy(p => p.Key), actual.ViolationsByKind.OrderBy(p => p.Key));
        Assert.True(expected.SameAs(actual), "same runs, kinds and counts, but steps, coverage, witnesses or outcomes differ");
    }
}
