using SmmuActors.Tests.Support;
using SmmuActors.Contracts;
using SmmuActors.Grains.Execution;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Grains;

/// <summary>An exhaustive search hosted in a silo finds exactly what the local search finds.</summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class ExhaustiveGrainTests(GrainClusterFixture fixture)
{
    [Theory]
    [InlineData("as-posted")]
    [InlineData("recheck-mb")]
    public async Task The_silo_search_equals_the_local_one(string preset)
    {
        var spec = GrainScenarios.Spec("reviewer-race.json", preset);
        var silo = await fixture.Client.GetGrain<IExhaustiveGrain>(Guid.NewGuid()).Explore(spec);
        var local = Explorer.Exhaustive(spec.Build(), null, CancellationToken.None);
        Assert.True(silo.Exhausted);
        Assert.Equal(local.States, silo.States);
        Assert.Equal(local.Result.Runs, silo.Result.Runs);
        Assert.Equal(local.Result.ViolationsByKind, silo.Result.ViolationsByKind);
        Assert.True(local.Result.SameAs(silo.Result), "the silo's witnesses or totals differ from the local search's");
    }
}
