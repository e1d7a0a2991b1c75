using SmmuActors.Model.Exploration;
using Xunit;

namespace SmmuActors.Tests.Search;

/// <summary>
/// The passes over a finished graph (the cycle proviso's states, the shortest paths, the edges into each state) are
/// functions of the graph, not of how its states were numbered or the order its edges arrived in: the partitioned
/// search builds the same graph in another order and must reach the same verdicts and witnesses.
/// </summary>
[Trait("Suite", "Search")]
public sealed class StateGraphTests
{
    // A small graph: state name, reduced; edges (from, to, pick). Reduced states a, b and c form cycles, d and e
    // another; c and g are two steps from the root both through a and another way; f is fully expanded.
    static readonly (string Name, bool Reduced)[] States =
        [("root", false), ("a", true), ("b", true), ("c", true), ("d", true), ("e", true), ("f", false), ("g", false)];
    static readonly (string From, string To, int Pick)[] Edges =
    [
        ("root", "a", 0), ("root", "d", 1), ("root", "f", 2),
        ("a", "b", 0), ("a", "c", 1), ("a", "g", 2), ("b", "c", 0), ("c", "a", 0), ("c", "b", 1),
        ("d", "e", 0), ("d", "g", 2), ("e", "d", 1), ("e", "f", 0),
        ("f", "a", 1), ("f", "c", 0),
    ];

    // Hashes fixed by the name (the root order of the cycle pass is the hash order): a, b, c, d, e rank alphabetically.
    static (ulong, ulong) HashOf(string name) => ((ulong)name[0] << 56 | (uint)name.Length, 7);

    /// <summary>The graph with states numbered in <paramref name="order"/> (the root first) and edges added in <paramref name="edgeOrder"/>.</summary>
    static (StateGraph Graph, string[] Names) Build(int[] order, int[] edgeOrder)
    {
        var graph = new StateGraph(1);
        var names = order.Select(i => States[i].Name).ToArray();
        foreach (int i in order)
        {
            int id = graph.Add(-1, 0, 1, 0, [0], HashOf(States[i].Name));
            graph.Reduced[id] = States[i].Reduced;
        }
        foreach (int e in edgeOrder)
            graph.AddEdge(Array.IndexOf(names, Edges[e].From), Array.IndexOf(names, Edges[e].To), -1, -1, Edges[e].Pick, 3);
        return (graph, names);
    }

    static readonly int[] InOrder = Enumerable.Range(0, States.Length).ToArray();
    static readonly int[] Renumbered = [0, 5, 3, 7, 6, 1, 4, 2];
    static readonly int[] EdgesInOrder = Enumerable.Range(0, Edges.Length).ToArray();
    static readonly int[] EdgesScrambled = [11, 3, 14, 7, 0, 9, 5, 1, 13, 10, 6, 2, 12, 8, 4];

    /// <summary>
    /// The depth the search reports is the longest of the shortest paths from the root (TLC's depth of the state graph),
    /// not the longest path: a chain of five states with a short cut from the root to its fourth, and an edge back from
    /// its last, is two deep.
    /// </summary>
    [Fact]
    public void The_depth_is_the_longest_of_the_shortest_paths()
    {
        var graph = new StateGraph(1);
        for (int i = 0; i < 5; i++) graph.Add(-1, 0, 1, 0, [0], ((ulong)i, 1));
        foreach (var (from, to, pick) in new[] { (0, 1, 0), (1, 2, 0), (2, 3, 0), (3, 4, 0), (0, 3, 1), (4, 1, 0) })
            graph.AddEdge(from, to, -1, -1, pick, 2);
        Assert.Equal(2, graph.Shorten());
        Assert.Equal([0, 1, 2, 1, 2], graph.Depth);
    }

    /// <summary>
    /// Under armv8 one state of storm has 2,482 enabled deliveries (<see cref="ManyChoicesTests"/>): an edge keeps a pick and
    /// a number of choices past a byte, and the shortest path to a state records them as they are.
    /// </summary>
    [Fact]
    public void An_edge_keeps_a_pick_past_255()
    {
        var graph = new StateGraph(1);
        for (int i = 0; i < 3; i++) graph.Add(-1, 0, 1, 0, [0], ((ulong)i, 1));
        graph.AddEdge(0, 1, -1, -1, 2481, 2482);
        graph.AddEdge(1, 2, -1, -1, 300, 301);
        graph.AddEdge(0, 2, -1, -1, 7, 2482);
        Assert.Equal(1, graph.Shorten());
        Assert.Equal([2481L], graph.PathTo(1));
        Assert.Equal([7L], graph.PathTo(2));
        Assert.Equal([2481, 300, 7], graph.Edges.ToArray().Select(e => (int)e.Pick).Order().Reverse().ToArray());
        Assert.Equal(2482, graph.Edges[0].Choices);
    }

    [Fact]
    public void The_cycle_proviso_picks_the_same_states_however_the_graph_was_built()
    {
        var (g1, n1) = Build(InOrder, EdgesInOrder);
        var (g2, n2) = Build(Renumbered, EdgesScrambled);
        var first = g1.CycleBreakers(Enumerable.Range(0, g1.Count)).Select(s => n1[s]).ToArray();
        var second = g2.CycleBreakers(Enumerable.Range(0, g2.Count)).Select(s => n2[s]).ToArray();
        // From a, the first reduced state by hash, edges in pick order: a, b, c, where c-a and c-b close cycles; then
        // from d: d, e, where e-d closes one. Taken in another order (a-c first, then c-b), b-c would close one at b.
        Assert.Equal(["c", "e"], first);
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void States_whose_hashes_share_a_first_half_are_ordered_by_the_second(bool yFirst)
    {
        // Two reduced states on cycles of their own, their hashes alike but for the second half.
        var graph = new StateGraph(1);
        graph.Add(-1, 0, 1, 0, [0], (1, 1));
        var (x, y) = yFirst ? (2, 1) : (1, 2);
        graph.Add(0, 0, 2, 1, [0], yFirst ? (5UL, 9UL) : (5UL, 3UL));
        graph.Add(0, 1, 2, 1, [0], yFirst ? (5UL, 3UL) : (5UL, 9UL));
        graph.Reduced[1] = graph.Reduced[2] = true;
        graph.AddEdge(0, 1, -1, -1, 0, 2);
        graph.AddEdge(0, 2, -1, -1, 1, 2);
        graph.AddEdge(1, 1, -1, -1, 0, 1);
        graph.AddEdge(2, 2, -1, -1, 0, 1);
        // x has the hash (5, 3), y (5, 9): x comes first whichever was numbered first.
        Assert.Equal([x, y], graph.CycleBreakers([0, 1, 2]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Only_a_cycle_of_reduced_states_needs_a_breaker_wherever_it_lies(bool closed)
    {
        // Reduced chains 1-2-3 and 4-5-6 (the latter reachable only from the last fresh root); 3 leads back to 1 only
        // through the fully expanded 7, which breaks that cycle already. 6-4 closes a cycle of reduced states when asked.
        var graph = new StateGraph(1);
        graph.Add(-1, 0, 1, 0, [0], (0, 0));
        for (ulong i = 1; i <= 7; i++) graph.Reduced[graph.Add(0, 0, 1, 1, [0], (i << 60, i))] = i != 7;
        foreach (var (from, to) in new[] { (0, 1), (1, 2), (2, 3), (3, 7), (7, 1), (4, 5), (5, 6) }) graph.AddEdge(from, to, -1, -1, 0, 1);
        if (closed) graph.AddEdge(6, 4, -1, -1, 0, 1);
        Assert.Equal(closed ? [6] : [], graph.CycleBreakers(Enumerable.Range(0, graph.Count)));
    }

    [Fact]
    public void Many_states_come_out_in_hash_order()
    {
        // Enough states for the order to be built in many buckets; every third pair shares a first half, and first halves
        // cover the whole range (the buckets are cut by its top bits).
        var rng = new Random(5);
        var graph = new StateGraph(1);
        graph.Add(-1, 0, 1, 0, [0], (0, 0));
        for (int i = 1; i <= 5000; i++)
        {
            ulong first = i % 3 == 0 ? graph.Hashes[i - 1].Item1 : (ulong)rng.NextInt64() << 1 | (uint)(i & 1);
            int id = graph.Add(0, 0, 1, 1, [0], (first, (ulong)rng.NextInt64()));
            graph.Reduced[id] = true;
            graph.AddEdge(id, id, -1, -1, 0, 1);
        }
        var breakers = graph.CycleBreakers(Enumerable.Range(0, graph.Count));
        var expected = Enumerable.Range(1, 5000).OrderBy(s => graph.Hashes[s].Item1).ThenBy(s => graph.Hashes[s].Item2);
        Assert.Equal(expected, breakers);
    }

    [Fact]
    public void Shortest_paths_follow_edges_in_pick_order_however_the_edges_arrived()
    {
        var (g1, n1) = Build(InOrder, EdgesInOrder);
        var (g2, n2) = Build(Renumbered, EdgesScrambled);
        g1.Shorten();
        g2.Shorten();
        foreach (var (name, _) in States.Skip(1))
        {
            int s1 = Array.IndexOf(n1, name), s2 = Array.IndexOf(n2, name);
            Assert.Equal((n1[g1.Parent[s1]], g1.Pick[s1], g1.Depth[s1]), (n2[g2.Parent[s2]], g2.Pick[s2], g2.Depth[s2]));
        }
        // c is two steps away through a (root's pick 0) and through f (pick 2), g through a and through d (pick 1):
        // breadth-first in pick order reaches both from a.
        int c = Array.IndexOf(n1, "c"), g = Array.IndexOf(n2, "g");
        Assert.Equal(("a", 1, 2), (n1[g1.Parent[c]], g1.Pick[c], g1.Depth[c]));
        Assert.Equal(("a", 2, 2), (n2[g2.Parent[g]], g2.Pick[g], g2.Depth[g]));
    }

    [Fact]
    public void States_recorded_out_of_order_after_their_edges_make_the_same_graph()
    {
        // As several workers hand their logs over: edges first, then the states at their ids, highest first.
        var (reference, names) = Build(InOrder, EdgesInOrder);
        var graph = new StateGraph(1);
        graph.Cover(States.Length - 1);
        foreach (int e in EdgesScrambled)
            graph.AddEdge(Array.IndexOf(names, Edges[e].From), Array.IndexOf(names, Edges[e].To), -1, -1, Edges[e].Pick, 3);
        Assert.Equal(States.Length, graph.Count);
        Assert.Equal(0, graph.Recorded);
        for (int i = States.Length - 1; i >= 0; i--)
        {
            graph.Put(i, -1, 0, 1, 0, [(byte)i], HashOf(States[i].Name));
            graph.Reduced[i] = States[i].Reduced;
        }
        Assert.Equal(graph.Count, graph.Recorded);
        Assert.Equal(Enumerable.Range(0, States.Length).Select(i => (byte)i), graph.Waits);
        Assert.Equal(reference.CycleBreakers(Enumerable.Range(0, reference.Count)), graph.CycleBreakers(Enumerable.Range(0, graph.Count)));
        reference.Shorten();
        graph.Shorten();
        Assert.Equal(reference.Parent, graph.Parent);
        Assert.Equal(reference.Pick, graph.Pick);
        Assert.Equal(reference.Depth, graph.Depth);
    }

    /// <summary>
    /// A chain root, s1 .. s5 with a side branch t1, t2 from the root: a stopped search walks only as deep as the
    /// witnesses it keeps, including a state as deep as a transition's witness (a final state there could tie with it),
    /// and gives what it walks the shortest paths the whole pass gives.
    /// </summary>
    [Theory]
    [InlineData(new[] { 2 }, new int[0], 2)]      // a final state two deep
    [InlineData(new int[0], new[] { 1 }, 2)]      // a transition out of a state one deep: its witness is two deep
    [InlineData(new[] { 4 }, new[] { 1 }, 4)]     // the deeper of two kinds
    [InlineData(new[] { 9 }, new int[0], 5)]      // a kind no state shows: the whole graph
    public void A_stopped_searchs_walk_ends_at_the_level_of_its_deepest_witness(int[] finalAt, int[] transitionOutOf, int walkedTo)
    {
        static StateGraph Chain()
        {
            var g = new StateGraph(1);
            for (int i = 0; i < 8; i++) g.Add(-1, 0, 1, 99, [0], ((ulong)i, 1));
            // ids: 0 root, 1..5 the chain, 6 and 7 the branch; the chain's last state leads back into the branch.
            foreach (var (from, to, pick) in new[] { (0, 1, 0), (1, 2, 0), (2, 3, 0), (3, 4, 0), (4, 5, 0), (0, 6, 1), (6, 7, 0), (5, 7, 1) })
                g.AddEdge(from, to, -1, -1, pick, 2);
            return g;
        }
        int[] depthOf = [0, 1, 2, 3, 4, 5, 1, 2];
        var marks = new uint[8];
        uint wanted = 0;
        // Kind 0 for the finals, kind 1 for the transitions; 9 is a state that does not exist, so its kind is never met.
        foreach (int s in finalAt)
        {
            if (s < 8) marks[s] |= StateGraph.MarkAt(0);
            wanted |= StateGraph.MarkAt(0);
        }
        foreach (int s in transitionOutOf)
        {
            marks[s] |= StateGraph.MarkAfter(1);
            wanted |= StateGraph.MarkAt(1);
        }
        var graph = Chain();
        var walked = graph.ShortenFor(marks, wanted, TimeSpan.MaxValue);
        var whole = Chain();
        whole.Shorten();
        for (int s = 0; s < 8; s++)
        {
            Assert.Equal(depthOf[s] <= walkedTo, walked[s]);
            if (walked[s]) Assert.Equal((whole.Parent[s], whole.Pick[s], whole.Depth[s]), (graph.Parent[s], graph.Pick[s], graph.Depth[s]));
            else Assert.Equal((-1, 99), (graph.Parent[s], graph.Depth[s]));
        }
    }

    /// <summary>With no time to walk, only the root is walked, and every other state keeps the path it had.</summary>
    [Fact]
    public void A_walk_with_no_time_walks_only_the_root()
    {
        var (graph, _) = Build(InOrder, EdgesInOrder);
        for (int s = 1; s < graph.Count; s++) (graph.Parent[s], graph.Pick[s]) = (s - 1, s);
        var walked = graph.ShortenFor(new uint[graph.Count], StateGraph.MarkAt(0), TimeSpan.Zero);
        Assert.Equal([true, .. Enumerable.Repeat(false, graph.Count - 1)], walked);
        Assert.Equal(Enumerable.Range(-1, graph.Count), graph.Parent);
        Assert.Equal(Enumerable.Range(0, graph.Count), graph.Pick);
    }

    [Fact]
    public void The_edges_into_a_state_are_every_edge_that_ends_there_once()
    {
        var (g, names) = Build(Renumbered, EdgesScrambled);
        var (start, edges) = g.Incoming();
        for (int s = 0; s < g.Count; s++)
        {
            var into = edges[start[s]..start[s + 1]].Select(i => (names[g.Edges[i].From], (int)g.Edges[i].Pick)).Order().ToArray();
            var expected = Edges.Where(x => x.To == names[s]).Select(x => (x.From, x.Pick)).Order().ToArray();
            Assert.Equal(expected, into);
        }
    }
}
