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

    /// <summary>
    /// The same under each switch that weakens a barrier or an ordering of the driver, the power manager or the SMMU, on the
    /// reviewer's race as posted: these lose commands and hang waits, which is where random runs once found a timeout
    /// the search did not (two waits each ended only by the other's timeout, MutualTimeoutTests).
    /// </summary>
    [Theory]
    [InlineData("valid-barrier=none")]
    [InlineData("owner-prod-store=relaxed")]
    [InlineData("shared-unlock=relaxed")]
    [InlineData("exclusive-unlock=relaxed")]
    [InlineData("pm-core-order=none")]
    [InlineData("resume-barrier=none")]
    [InlineData("sync-mode=cons", "cons-read=readl-relaxed")]
    [InlineData("quiesce-order=smp-mb")]
    [InlineData("cons-advance=any")] // the SMMU's own timers: commands taking effect in any order, CONS steps
    [InlineData("cons-advance=any", "msi-power-off=lost")]
    public void Under_each_weakened_ordering_random_kinds_are_a_subset_of_the_searchs(params string[] set)
    {
        var model = Scenarios.Shipped("reviewer-race.json", "as-posted", set);
        var search = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, workers: Environment.ProcessorCount);
        Assert.True(search.Exhausted, search.IncompleteReason);
        var random = Explorer.Random(model, 20_261_205, 20_000, Environment.ProcessorCount, null, CancellationToken.None);
        Assert.Subset(search.Result.ViolationsByKind.Keys.ToHashSet(), random.ViolationsByKind.Keys.ToHashSet());
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
