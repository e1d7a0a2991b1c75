using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// `--first-violation` (<see cref="SearchLimits.FirstViolation"/>): a violating transition ends its execution. What it
/// must keep: a verdict of VIOLATED exactly when the whole search finds a violation (an execution with a violation has a
/// first one, and the state before it is reached without any), a clean search unchanged (nothing is cut), and no kind the
/// whole search does not find. The last is what the liveness verdicts need care for: a wait whose ending lies past a cut
/// transition was not searched, and judged on the cut graph alone it would look endless (gate-outside-cas and
/// unmasked-flags then report a sync-timeout and a drain-timeout that the replay of their witness refutes).
/// </summary>
[Trait("Suite", "Search")]
public sealed class FirstViolationTests
{
    public static TheoryData<string> Presets() => [.. Variants.Presets.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Presets))]
    public void On_the_reviewers_race_it_finds_a_violation_exactly_when_the_whole_search_does(string preset)
    {
        var model = Scenarios.Shipped("reviewer-race.json", preset);
        var whole = SearchCache.Of("reviewer-race", preset);
        var first = StateSpaceSearch.Explore(model, SearchLimits.For(model, firstViolation: true), null, CancellationToken.None);
        Assert.True(first.Exhausted, first.IncompleteReason);
        Assert.True(first.FirstViolation);
        var wholeKinds = whole.Result.ViolationsByKind.Keys.ToHashSet();
        var firstKinds = first.Result.ViolationsByKind.Keys.ToHashSet();
        Assert.Equal(wholeKinds.Count > 0, firstKinds.Count > 0);
        Assert.True(firstKinds.IsSubsetOf(wholeKinds), $"found {Kinds(firstKinds)}; the whole search finds {Kinds(wholeKinds)}");
        if (wholeKinds.Count == 0) Assert.Equal(whole.States, first.States);
        else Assert.True(first.States <= whole.States, $"{first.States} states, the whole search {whole.States}");
    }

    /// <summary>
    /// Where ending executions early matters (gate-outside-cas: 71,344 states in the whole search, fewer here; unmasked-flags:
    /// 22,996), each kind's witness still replays to a counterexample of its kind; a liveness witness is checked afresh by a
    /// search of every execution from where it stops, which refutes a wait judged endless only because the search was cut.
    /// </summary>
    [Theory]
    [InlineData("gate-outside-cas")]
    [InlineData("unmasked-flags")]
    public void Every_witness_replays_to_its_kind(string preset)
    {
        var model = Scenarios.Shipped("reviewer-race.json", preset);
        var first = StateSpaceSearch.Explore(model, SearchLimits.For(model, firstViolation: true), null, CancellationToken.None);
        Assert.True(first.States < SearchCache.Of("reviewer-race", preset).States, "nothing was cut");
        Assert.NotEmpty(first.Result.Witnesses);
        foreach (var w in first.Result.Witnesses.Values)
        {
            var cx = Investigation.Investigate(model, "reviewer-race.json", StrategyKind.Exhaustive, 0, w, CancellationToken.None);
            Assert.Equal(Naming.Kebab(w.Kind), cx.Kind);
        }
    }

    public static TheoryData<string, int> Partitioned() => new()
    {
        { "as-posted", 3 }, { "recheck-mb", 2 }, { "gate-outside-cas", 4 }, { "unmasked-flags", 2 }, { "no-gate", 5 },
    };

    /// <summary>
    /// Partitions cannot tell whether a successor another one owns is known, so both searches drop every violating
    /// transition, known state or not: the same graph, the same verdicts.
    /// </summary>
    [Theory]
    [MemberData(nameof(Partitioned))]
    public void Partitioned_it_equals_the_local_search(string preset, int partitions)
    {
        var model = Scenarios.Shipped("reviewer-race.json", preset);
        var limits = SearchLimits.For(model, firstViolation: true);
        var local = StateSpaceSearch.Explore(model, limits, null, CancellationToken.None);
        var split = PartitionedSearch.Explore(model, partitions, limits, null, CancellationToken.None).Result;
        Assert.True(split.FirstViolation);
        SearchAssert.Same(local, split);
    }

    /// <summary>With cycles for the proviso to break (one CPU on full-queue's two-slot queue), the cut graph is the same on both searches too.</summary>
    [Fact]
    public void With_cycles_to_break_partitioned_it_equals_the_local_search()
    {
        var model = SmallScenarios.Build(SmallScenarios.OneCpuFullQueue, "no-gate");
        var limits = SearchLimits.For(model, firstViolation: true);
        var local = StateSpaceSearch.Explore(model, limits, null, CancellationToken.None);
        Assert.True(local.CycleBreakers > 0, "the cycle proviso found nothing to expand again");
        Assert.NotEmpty(local.Result.ViolationsByKind);
        SearchAssert.Same(local, PartitionedSearch.Explore(model, 3, limits, null, CancellationToken.None).Result);
    }

    static string Kinds(IEnumerable<ViolationKind> kinds) => string.Join(", ", kinds.Select(k => Naming.Kebab(k)).Order());
}
