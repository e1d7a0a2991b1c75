using SmmuActors.Model.Exploration;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// Random runs are timed executions, and every timed execution is one of the orders the untimed search
/// takes: whatever kinds 20,000 random runs find, an exhausted search finds too, on every preset of every
/// workload whose space closes. (Where it does not, the search is INCOMPLETE and says so; see VerdictMatrixTests.)
/// </summary>
[Trait("Suite", "Search")]
public sealed class RandomWithinExhaustiveTests
{
    public static TheoryData<string, string> Closing()
    {
        var data = new TheoryData<string, string>();
        foreach (var w in new[] { "reviewer-race", "full-queue" })
            foreach (var p in Variants.Presets.Where(p => SearchCache.Closes(w, p.Name))) data.Add(w, p.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Closing))]
    public void RandomKindsAreASubsetOfTheExhaustedSearchsKinds(string workload, string preset)
    {
        var model = Scenarios.Shipped($"{workload}.json", preset);
        var random = Explorer.Random(model, 20_261_202, 20_000, Environment.ProcessorCount, null, CancellationToken.None);
        var search = SearchCache.Of(workload, preset);
        Assert.True(search.Exhausted);
        Assert.Subset(search.Result.ViolationsByKind.Keys.ToHashSet(), random.ViolationsByKind.Keys.ToHashSet());
    }
}
