using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// A search told to stop at its first violation (Spin's and TLC's default) stops there, says so, and gives the same
/// answer every time on any number of workers; a search that meets none is the whole search.
/// </summary>
[Trait("Suite", "Search")]
public sealed class StopAtFirstTests
{
    /// <summary>
    /// full-queue under gate-outside-cas passes 60 million states searched whole; told to stop at the first violation it
    /// stops within a few thousand states (the oldest delivery first: 241; the newest first took 473,334), with a kind found
    /// and its witness. On two workers which violation comes first depends on timing, so that search is searched again on
    /// one and gives the one-worker answer.
    /// </summary>
    [Fact]
    public void A_broken_variant_stops_at_its_first_violation_and_says_so()
    {
        var model = Scenarios.Shipped("full-queue.json", "gate-outside-cas");
        var limits = SearchLimits.For(model) with { StopAtFirst = true };
        var one = StateSpaceSearch.Explore(model, limits, null, CancellationToken.None);
        Assert.Equal(SearchLimits.FirstFoundReason, one.IncompleteReason);
        Assert.InRange(one.States, 2, 5_000);
        Assert.NotEmpty(one.Result.ViolationsByKind);
        Assert.All(one.Result.ViolationsByKind.Keys, k => Assert.Contains(k, one.Result.Witnesses.Keys));
        SearchAssert.Same(one, StateSpaceSearch.Explore(model, limits, null, CancellationToken.None, workers: 2));
    }

    /// <summary>recheck-mb closes clean on reviewer-race: with nothing to stop at, the search is the whole one.</summary>
    [Fact]
    public void A_clean_variant_is_searched_whole()
    {
        var model = Scenarios.Shipped("reviewer-race.json", "recheck-mb");
        var r = StateSpaceSearch.Explore(model, SearchLimits.For(model) with { StopAtFirst = true }, null, CancellationToken.None, workers: 2);
        Assert.True(r.Exhausted);
        SearchAssert.Same(SearchCache.Of("reviewer-race", "recheck-mb"), r);
    }

    /// <summary>
    /// It stops at a transition that shows a safety kind, one the whole search finds too: under unmasked-flags
    /// reviewer-race's whole search also finds deadlock, lost-command and wait-forever, which only the end of an
    /// execution or the finished graph shows.
    /// </summary>
    [Fact]
    public void What_it_stops_at_is_a_safety_kind_the_whole_search_finds()
    {
        var model = Scenarios.Shipped("reviewer-race.json", "unmasked-flags");
        var r = StateSpaceSearch.Explore(model, SearchLimits.For(model) with { StopAtFirst = true }, null, CancellationToken.None);
        Assert.Equal(SearchLimits.FirstFoundReason, r.IncompleteReason);
        var whole = SearchCache.Of("reviewer-race", "unmasked-flags");
        Assert.True(r.States < whole.States, $"{r.States:N0} states, the whole search {whole.States:N0}");
        var kinds = r.Result.ViolationsByKind.Keys.ToHashSet();
        Assert.Subset(whole.Result.ViolationsByKind.Keys.ToHashSet(), kinds);
        Assert.Contains(kinds, k => k is ViolationKind.QueueInvariant or ViolationKind.StaleTranslation);
        Assert.DoesNotContain(ViolationKind.WaitForever, kinds);
    }
}
