using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>The same search twice gives the same states, kinds and witnesses: nothing in it depends on hashing order or timing.</summary>
[Trait("Suite", "Search")]
public sealed class SearchDeterminismTests
{
    [Fact]
    public void ExhaustiveSearchIsRepeatable()
    {
        var a = Explorer.Exhaustive(Scenarios.Shipped("reviewer-race.json"), null, CancellationToken.None);
        var b = Explorer.Exhaustive(Scenarios.Shipped("reviewer-race.json"), null, CancellationToken.None);
        Assert.Equal(a.States, b.States);
        Assert.Equal(a.Result.Runs, b.Result.Runs);
        Assert.Equal(a.Result.ViolationsByKind, b.Result.ViolationsByKind);
        Assert.True(a.Result.SameAs(b.Result));
        Assert.NotEmpty(a.Result.Witnesses[ViolationKind.StaleTranslation].Choices);
    }
}
