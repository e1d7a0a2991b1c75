using SmmuActors.Model.Exploration;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// The partitioned search (states owned by hash, rebuilt from their paths, edges gathered by a coordinator) finds
/// what the local search finds (<see cref="SearchAssert.Same"/>): the same distinct states, final states, kinds of
/// violation (transitions and liveness alike) with their counts, branches, and each kind's witness, pick for pick. The partitions here run in
/// one thread; the grains run the same partitions across silos (tests/Cluster).
/// </summary>
[Trait("Suite", "Search")]
public sealed class PartitionedSearchTests
{
    public static TheoryData<string, int> Presets()
    {
        var data = new TheoryData<string, int>();
        foreach (var (preset, i) in Variants.Presets.Select((p, i) => (p.Name, i))) data.Add(preset, 1 + i % 5);
        return data;
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Every_preset_of_the_reviewers_race_partitioned_equals_the_local_search(string preset, int partitions)
    {
        var model = Scenarios.Shipped("reviewer-race.json", preset);
        var local = SearchCache.Of("reviewer-race", preset);
        var split = PartitionedSearch.Explore(model, partitions, SearchLimits.For(model), null, CancellationToken.None).Result;
        SearchAssert.Same(local, split);
    }

    /// <summary>
    /// full-queue under stop-after-full-wait: a space of 520,151 states with cycles of reduced states, which the cycle
    /// proviso breaks in rounds (on the coordinator's graph when the partitions are quiescent), liveness decided on it.
    /// </summary>
    [Fact]
    public void Full_queue_partitioned_equals_the_local_search()
    {
        var model = Scenarios.Shipped("full-queue.json", "stop-after-full-wait");
        var local = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None);
        Assert.True(local.CycleBreakers > 0, "the cycle proviso found nothing to expand again");
        SearchAssert.Same(local, PartitionedSearch.Explore(model, 3, SearchLimits.For(model), null, CancellationToken.None).Result);
    }

    public static TheoryData<string, int> CyclePresets() => new()
    {
        { "as-posted", 1 }, { "recheck-mb", 2 }, { "no-gate", 3 }, { "gate-outside-cas", 4 }, { "unmasked-flags", 5 }, { "drain-by-sync", 2 },
    };

    /// <summary>
    /// Where the cycle proviso has work (one CPU on full-queue's two-slot queue): the partitioned search picks the same
    /// states to expand again, whatever its numbering, and so reaches the same states as the local search.
    /// </summary>
    [Theory]
    [MemberData(nameof(CyclePresets))]
    public void With_cycles_to_break_partitioned_equals_the_local_search(string preset, int partitions)
    {
        var model = SmallScenarios.Build(SmallScenarios.OneCpuFullQueue, preset);
        var local = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None);
        Assert.True(local.CycleBreakers > 0, "the cycle proviso found nothing to expand again");
        SearchAssert.Same(local, PartitionedSearch.Explore(model, partitions, SearchLimits.For(model), null, CancellationToken.None).Result);
    }

    /// <summary>
    /// Under loads=armv8, where memory hashes stamps by rank: every preset on the unmap-while-suspending cut. The
    /// partitions number states in other orders, so a hash that merged states going on differently showed here as
    /// more states (drain-by-sync: 49,248 locally, 49,279 on 3 partitions, while read choices in flight carried stamps).
    /// </summary>
    [Theory]
    [MemberData(nameof(Presets))]
    public void Under_armv8_loads_partitioned_equals_the_local_search(string preset, int partitions)
    {
        var model = SmallScenarios.Build(SmallScenarios.UnmapWhileSuspending, preset, "loads=armv8");
        var local = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None);
        SearchAssert.Same(local, PartitionedSearch.Explore(model, 2 + partitions % 3, SearchLimits.For(model), null, CancellationToken.None).Result);
    }

    [Fact]
    public void A_bound_stops_it_at_the_bound_and_says_so()
    {
        var model = Scenarios.Shipped("storm.json", "as-posted");
        var limits = SearchLimits.For(model) with { MaxStates = 5000 };
        var r = PartitionedSearch.Explore(model, 4, limits, null, CancellationToken.None).Result;
        Assert.Equal("maxStates (5000)", r.IncompleteReason);
        Assert.InRange(r.States, 4000, 5000);
    }

    /// <summary>
    /// Stopped from its own progress once 10,000 states are in, not by a timer: a timer's cancel runs on the thread
    /// pool, and with the pool busy it came after this search had ended (CI: complete in 17 s, the cancel unseen).
    /// </summary>
    [Fact]
    public void Cancelled_it_returns_the_states_searched_as_incomplete()
    {
        var model = Scenarios.Shipped("full-queue.json", "as-posted");
        using var stop = new CancellationTokenSource();
        long seen = 0;
        var progress = new InlineProgress<ExploreProgress>(p =>
        {
            seen = p.States;
            if (p.States >= 10_000) stop.Cancel();
        });
        var r = PartitionedSearch.Explore(model, 2, SearchLimits.For(model), progress, stop.Token).Result;
        Assert.True(stop.IsCancellationRequested, "the search ended before it could be stopped");
        Assert.Equal(SearchLimits.Cancelled, r.IncompleteReason);
        Assert.Equal(seen, r.States);
        Assert.InRange(r.States, 10_000, 10_000 + 2 * PartitionedSearch.Round);
    }
}
