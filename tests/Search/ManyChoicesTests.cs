using SmmuActors.Model.Exploration;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// A state with more than 255 enabled deliveries. Under armv8 a CPU waiting for queue space on storm writes llq.cons on
/// every pass of its exclusive refresh, and a CPU that has not touched llq since may read any of those writes: two
/// thousand passes down, one load has hundreds of read choices (2,478 at 20,000 deliveries, storm's step bound). A byte
/// per pick failed there with an overflow, an internal error instead of a verdict (`explore --variant as-posted --set
/// loads=armv8 --workload scenarios/storm.json`); a pick now takes one byte below 255 and three from there
/// (<see cref="PickPath"/>). The search dives depth first: with a step bound of 2,300 it meets a state of 270 choices
/// between its 5,000th and 8,000th state.
/// </summary>
[Trait("Suite", "Search")]
public sealed class ManyChoicesTests
{
    [Fact]
    public void The_search_goes_on_past_a_state_with_more_than_255_choices()
    {
        var model = Scenarios.Shipped("storm.json", "as-posted", "loads=armv8");
        var r = StateSpaceSearch.Explore(model, new SearchLimits(MaxStates: 8000, MaxDepth: 2300), null, CancellationToken.None);
        Assert.Equal("maxStates (8000)", r.IncompleteReason);
        Assert.Equal(8000, r.States);
    }
}
