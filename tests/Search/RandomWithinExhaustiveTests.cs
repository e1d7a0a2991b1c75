using SmmuActors.Model.Exploration;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// Random runs are timed executions, and every timed execution is one of the orders the untimed search
/// takes: whatever kinds 20,000 random runs find, an exhausted search finds too. (On the larger workloads
/// the search is INCOMPLETE, and says so; see VerdictMatrixTests.)
/// </summary>
[Trait("Suite", "Search")]
public sealed class RandomWithinExhaustiveTests
{
    public static TheoryData<string> Presets() => new(Variants.Presets.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Presets))]
    public void RandomKindsAreASubsetOfTheExhaustedSearchsKinds(string preset)
    {
        var model = Scenarios.Shipped("reviewer-race.json", preset);
        var random = Explorer.Random(model, 20_261_202, 20_000, Environment.ProcessorCount, null, CancellationToken.None);
        var search = SearchCache.Of("reviewer-race", preset);
        Assert.True(search.Exhausted);
        Assert.Subset(search.Result.ViolationsByKind.Keys.ToHashSet(), random.ViolationsByKind.Keys.ToHashSet());
    }
}
