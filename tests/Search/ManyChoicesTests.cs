using SmmuActors.Model.Exploration;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// A state with more than 255 enabled deliveries. Under armv8 a CPU waiting for queue space on storm writes llq.cons on
/// every pass of its exclusive refresh, and a CPU that has not touched llq since may read any of those writes: two
/// thousand passes down, one load has hundreds of read choices (2,478 of a state's 2,482 enabled deliveries at 20,000
/// deliveries, storm's step bound). A byte per pick failed there with an overflow, an internal error instead of a
/// verdict (`explore --variant as-posted --set loads=armv8 --workload scenarios/storm.json`); a pick now takes one byte
/// below 255 and three from there (<see cref="PickPath"/>). The search dives depth first: with a step bound of 2,300 it
/// meets a state of 270 choices between its 5,000th and 8,000th state.
/// </summary>
[Trait("Suite", "Search")]
public sealed class ManyChoicesTests
{
    static readonly Lazy<(StateSpaceSearch.Outcome Search, int State)> Found = new(() =>
    {
        var model = Storm;
        var o = StateSpaceSearch.Search(model, model.CreateComponents(untimed: true), model.NewSearchExecution(),
            new SearchLimits(MaxStates: 8000, MaxDepth: 2300), null, CancellationToken.None);
        var edge = o.Graph.Edges.ToArray().FirstOrDefault(e => e.Choices > 255 && e.Pick >= 255);
        Assert.True(edge.Choices > 255, "the search met no state with more than 255 choices: the tests below would not reach one");
        return (o, edge.From);
    });

    static Model.Workloads.ScenarioModel Storm => Scenarios.Shipped("storm.json", "as-posted", "loads=armv8");

    [Fact]
    public void The_search_goes_on_past_a_state_with_more_than_255_choices()
    {
        var (search, _) = Found.Value;
        Assert.Equal("maxStates (8000)", search.Result.IncompleteReason);
        Assert.Equal(8000, search.Result.States);
    }

    /// <summary>
    /// The partitioned search carries picks past 255 in its batches and rebuilds states from paths made of them: a
    /// partition (not the root's owner, so it has nothing else to do) expands such a state, sent to it as a cycle breaker
    /// is and rebuilt from its path, with leave for no state of its own; the other admits the successors it owns, each
    /// rebuilt by replaying its path, whose hash is checked against the one its sender computed.
    /// </summary>
    [Fact]
    public void A_partition_expands_such_a_state_and_another_rebuilds_its_successors_from_their_paths()
    {
        var (search, state) = Found.Value;
        var graph = search.Graph;
        var path = PickPath.Of(graph.PathTo(state));
        var revisit = new PackedWriter();
        revisit.Number(0);
        revisit.Number(graph.Depth[state]);
        revisit.Number(path.Length);
        revisit.Bytes(path);
        revisit.Hash(graph.Hashes[state]);
        int other = SearchPartition.RootOwner(Storm, 2), sender = 1 - other;
        var parts = Enumerable.Range(0, 2).Select(i => new SearchPartition(Storm, i, 2, maxDepth: 100_000)).ToArray();
        parts[sender].Revisit(revisit.Take());
        parts[sender].Work(() => 0, 1);
        Assert.False(parts[sender].HasWork);
        foreach (var (dest, batch, _) in parts[sender].TakeBatches()) parts[dest].Enqueue(batch);
        parts[other].Work(() => 1_000_000, 1000);
        var picks = new List<(int Pick, int Choices)>();
        for (var r = new PackedReader(parts[other].TakeDelta().Edges); r.More;)
        {
            r.Int(); r.Int(); r.Int(); r.Byte(); r.Byte();
            picks.Add((r.Pick(), r.Pick()));
        }
        Assert.Contains(picks, p => p.Pick >= 255 && p.Choices > 255);
        Assert.True(parts[other].Replayed > graph.Depth[state], "the successors were not rebuilt from their paths");
    }
}
