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
    /// The partitioned search carries picks past 255 in its batches and rebuilds states from paths made of them. A
    /// partition is sent the state, and the state's successors, as another partition would send them (the local search's
    /// edges: each state's hash, pick and number of choices after its parent's path), admits each and rebuilds it by
    /// replaying its parent's path and its pick, checking the hash it reaches against the local search's; it then
    /// expands the state itself, all of its choices.
    /// </summary>
    [Fact]
    public void A_partition_expands_such_a_state_and_rebuilds_its_successors_from_their_paths()
    {
        var (search, state) = Found.Value;
        var graph = search.Graph;
        var all = graph.Edges.ToArray();
        var batch = new PackedWriter();
        batch.Number(0);
        void Group(int parent, GraphEdge[] edges)
        {
            var path = PickPath.Of(graph.PathTo(parent));
            batch.Number(parent);
            batch.Number(graph.Depth[parent]);
            batch.Number(path.Length);
            batch.Bytes(path);
            batch.Number(edges.Length);
            foreach (var e in edges)
            {
                batch.Hash(graph.Hashes[e.To]);
                batch.Pick(e.Pick);
                batch.Pick(e.Choices);
                batch.Byte(e.Completes + 1);
                batch.Byte(e.TimesOut + 1);
            }
        }
        Group(graph.Parent[state], all.Where(e => e.From == graph.Parent[state] && e.To == state).Take(1).ToArray());
        var successors = all.Where(e => e.From == state).ToArray();
        Group(state, successors);
        var partition = new SearchPartition(Storm, 0, 1, maxDepth: 100_000);
        partition.Enqueue(batch.Take());
        partition.Work(() => 1_000_000, successors.Length + 2);
        var picks = new List<(int Pick, int Choices)>();
        for (var r = new PackedReader(partition.TakeDelta().Edges); r.More;)
        {
            r.Int(); r.Int(); r.Int(); r.Byte(); r.Byte();
            picks.Add((r.Pick(), r.Pick()));
        }
        // Twice each: as sent, and as the partition's own expansion of the state found them.
        Assert.True(picks.Count(p => p.Pick >= 255 && p.Choices > 255) >= 2, "no edge past 255 both sent and found");
        // Every successor rebuilt from its path, which replays the state's path once and then one delivery each (the paths
        // share it): each replay passes the hash check or throws.
        Assert.True(partition.Replayed >= graph.Depth[state] + successors.Length, $"{partition.Replayed} deliveries replayed for {successors.Length} successors");
    }
}
