using SmmuActors.Model.Exploration;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// The search on several worker threads finds what it finds on one (<see cref="SearchAssert.Same"/>): the same distinct
/// states, states expanded again by the cycle proviso, final states, kinds with their counts, branches and witnesses,
/// pick for pick. The workers reach states in an order timing decides, so the states' ids differ from run to run; none
/// of the result may.
/// </summary>
[Trait("Suite", "Search")]
public sealed class WorkerSearchTests
{
    public static TheoryData<string> Presets() => new(Variants.Presets.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Presets))]
    public void Every_preset_of_the_reviewers_race_on_three_workers_equals_one(string preset)
    {
        var model = Scenarios.Shipped("reviewer-race.json", preset);
        SearchAssert.Same(SearchCache.Of("reviewer-race", preset), StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, workers: 3));
    }

    /// <summary>full-queue under stop-after-full-wait: cycles of reduced states broken over several rounds, liveness decided on cycles.</summary>
    [Fact]
    public void Full_queue_on_two_workers_equals_one()
    {
        var model = Scenarios.Shipped("full-queue.json", "stop-after-full-wait");
        var one = SearchCache.Of("full-queue", "stop-after-full-wait");
        Assert.True(one.CycleBreakers > 0, "the cycle proviso found nothing to expand again");
        SearchAssert.Same(one, StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, workers: 2));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Under_armv8_loads_on_four_workers_equals_one(string preset)
    {
        var model = SmallScenarios.Build(SmallScenarios.UnmapWhileSuspending, preset, "loads=armv8");
        var one = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None);
        SearchAssert.Same(one, StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, workers: 4));
    }

    /// <summary>
    /// The second worker had work: it starts with none and gets its share only by taking the bottom of the first's stack.
    /// A space of 496,784 states, so a worker thread the machine schedules late still finds most of it left.
    /// </summary>
    [Fact]
    public void Every_worker_admits_states()
    {
        var model = Scenarios.Shipped("full-queue.json", "stop-after-full-wait");
        var outcome = StateSpaceSearch.Search(model, model.CreateComponents(untimed: true), model.NewSearchExecution(), SearchLimits.For(model), null,
            CancellationToken.None, workers: 2);
        Assert.Equal(SearchCache.Of("full-queue", "stop-after-full-wait").States, outcome.Result.States);
        Assert.Equal(outcome.Result.States - 1, outcome.AdmittedByWorker.Sum());
        Assert.All(outcome.AdmittedByWorker, n => Assert.True(n > outcome.Result.States / 100, $"a worker admitted {n} states of {outcome.Result.States:N0}"));
    }

    /// <summary>
    /// Which states a bound lets in depends on the order they are reached in, which timing decides on several workers; a
    /// search the bound cut is run again on one worker, so it gives the one-worker answer every time (full-queue under
    /// gate-outside-cas passes any bound below 5,000,000).
    /// </summary>
    [Fact]
    public void Cut_by_a_bound_it_gives_the_one_worker_answer()
    {
        var model = Scenarios.Shipped("full-queue.json", "gate-outside-cas");
        var limits = SearchLimits.For(model) with { MaxStates = 30_000 };
        var one = StateSpaceSearch.Explore(model, limits, null, CancellationToken.None);
        Assert.Equal("maxStates (30000)", one.IncompleteReason);
        Assert.False(one.Again);
        for (int i = 0; i < 3; i++)
        {
            var two = StateSpaceSearch.Explore(model, limits, null, CancellationToken.None, workers: 2);
            SearchAssert.Same(one, two);
            // Said in the result, so the summary and the JSON's ranOn can say it too.
            Assert.True(two.Again);
        }
    }

    /// <summary>
    /// --timeout's budget is the whole search's: a second attempt on one worker, after a bound cut the first, gets what is
    /// left of it (it got the whole budget again, so a search could take twice its --timeout). Time already spent past the
    /// budget stops even a search that would close at once (reviewer-race as posted, 22,229 states).
    /// </summary>
    [Fact]
    public void Time_already_spent_counts_against_the_timeout()
    {
        var model = Scenarios.Shipped("reviewer-race.json", "as-posted");
        var limits = SearchLimits.For(model, TimeSpan.FromSeconds(60));
        Assert.True(StateSpaceSearch.Explore(model, limits, null, CancellationToken.None, spent: TimeSpan.FromSeconds(30)).Exhausted);
        var late = StateSpaceSearch.Explore(model, limits, null, CancellationToken.None, spent: TimeSpan.FromSeconds(61));
        Assert.Equal(limits.TimeoutReason, late.IncompleteReason);
    }

    /// <summary>
    /// The second attempt's progress says it is one (its counts start over from the root, and a display that did not know
    /// would show them falling), every report after the first attempt's; a search on one worker never searches again.
    /// </summary>
    [Fact]
    public void Searched_again_on_one_worker_its_progress_says_so()
    {
        var model = Scenarios.Shipped("full-queue.json", "gate-outside-cas");
        var limits = SearchLimits.For(model) with { MaxStates = 50_000 };
        var reports = new List<ExploreProgress>();
        StateSpaceSearch.Explore(model, limits, new InlineProgress<ExploreProgress>(p => { lock (reports) reports.Add(p); }), CancellationToken.None, workers: 2);
        int firstAgain = reports.FindIndex(p => p.Again);
        Assert.True(firstAgain > 0, $"no report before the second attempt, or none marked as it ({reports.Count} reports)");
        Assert.All(reports[firstAgain..], p => Assert.True(p.Again));
        Assert.True(reports[firstAgain - 1].States > reports[firstAgain].States, "the counts did not start over");
        reports.Clear();
        StateSpaceSearch.Explore(model, limits, new InlineProgress<ExploreProgress>(reports.Add), CancellationToken.None);
        Assert.NotEmpty(reports);
        Assert.DoesNotContain(reports, p => p.Again);
    }

    /// <summary>
    /// A stop during the second attempt kept only what that attempt had searched: the first attempt's states and violations,
    /// found before the bound cut it, were lost (a fuzzed search printed no violation after 13,518 violating transitions).
    /// </summary>
    [Fact]
    public void Stopped_while_searching_again_it_keeps_what_the_first_attempt_found()
    {
        var model = Scenarios.Shipped("full-queue.json", "as-posted");
        var limits = SearchLimits.For(model) with { MaxStates = 50_000 };
        using var stop = new CancellationTokenSource();
        long againAtStop = -1;
        var progress = new InlineProgress<ExploreProgress>(p =>
        {
            if (!p.Again || againAtStop >= 0) return;
            againAtStop = p.States;
            stop.Cancel();
        });
        var r = StateSpaceSearch.Explore(model, limits, progress, stop.Token, workers: 2);
        Assert.True(againAtStop > 0, "never searched again");
        Assert.Equal(SearchLimits.Cancelled, r.IncompleteReason);
        Assert.False(r.Again);
        // The first attempt's states, and so its violations (none here in the first 50,000 states, whose order decides).
        Assert.True(r.States >= limits.MaxStates, $"{r.States} states: the second attempt's (stopped at {againAtStop}), not the first's");
    }

    /// <summary>Stopped from its own progress (not by a timer, whose callback waits for a busy thread pool): every worker stops, and what was searched is returned as cancelled.</summary>
    [Fact]
    public void Cancelled_every_worker_stops_and_the_states_searched_are_returned()
    {
        var model = Scenarios.Shipped("full-queue.json", "as-posted");
        using var stop = new CancellationTokenSource();
        var progress = new InlineProgress<ExploreProgress>(p => { if (p.States >= 50_000) stop.Cancel(); });
        var r = StateSpaceSearch.Explore(model, SearchLimits.For(model), progress, stop.Token, workers: 2);
        Assert.True(stop.IsCancellationRequested, "the search ended before it could be stopped");
        Assert.Equal(SearchLimits.Cancelled, r.IncompleteReason);
        Assert.InRange(r.States, 50_000, 200_000);
    }

    /// <summary>
    /// maxSteps is decided by each state's distance from the root, not by the path that happened to reach it first: the
    /// states searched from are those fewer than maxSteps deliveries from the root on their shortest path, in any order,
    /// so the one-worker answer comes out on several workers without searching again. reviewer-race's states are up to
    /// about a hundred deliveries from the root; cut at 60, the space is searched up to there.
    /// </summary>
    [Theory]
    [InlineData("as-posted")]
    [InlineData("gate-outside-cas")]
    public void Cut_at_max_steps_several_workers_give_the_one_worker_answer(string preset)
    {
        var model = Scenarios.Shipped("reviewer-race.json", preset);
        var limits = SearchLimits.For(model) with { MaxDepth = 60 };
        var one = StateSpaceSearch.Search(model, model.CreateComponents(untimed: true), model.NewSearchExecution(), limits, null, CancellationToken.None);
        Assert.Equal(limits.DepthReason, one.Result.IncompleteReason);
        Assert.True(one.Result.States < SearchCache.Of("reviewer-race", preset).States, "the bound cut nothing");
        // Every state searched from is within the bound on its shortest path; the states the bound kept are just past it.
        var expanded = one.Graph.Edges.ToArray().Select(e => e.From).ToHashSet();
        Assert.All(expanded, s => Assert.True(one.Graph.Depth[s] < 60, $"state {s} at depth {one.Graph.Depth[s]} was searched from"));
        for (int i = 0; i < 3; i++)
        {
            var several = StateSpaceSearch.Search(model, model.CreateComponents(untimed: true), model.NewSearchExecution(), limits, null, CancellationToken.None,
                workers: 3);
            SearchAssert.Same(one.Result, several.Result);
        }
    }
}
