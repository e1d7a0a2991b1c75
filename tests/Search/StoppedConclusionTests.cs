using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// A stopped search (Ctrl+C, the timeout) walks its graph only as deep as its witnesses lie, so that its result comes
/// within a second however large the graph (<see cref="StateGraph.ShortenFor"/>). It must keep the very witnesses the
/// whole walk keeps, and count every final state: drawn final states and violating transitions over a real search's
/// graph are concluded both ways and compared.
/// </summary>
[Trait("Suite", "Search")]
public sealed class StoppedConclusionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_stopped_search_keeps_the_witnesses_and_counts_the_whole_walk_gives(int seed)
    {
        var model = Scenarios.Shipped("reviewer-race.json", "as-posted");
        StateGraph Graph() => StateSpaceSearch.Search(model, model.CreateComponents(untimed: true), model.NewSearchExecution(), SearchLimits.For(model),
            null, CancellationToken.None).Graph;
        var (whole, walked) = (Graph(), Graph());
        var rng = new Random(seed);
        var kinds = Enum.GetValues<ViolationKind>();
        // Few of each, over three kinds that final states and transitions share, so witnesses lie deep and a final state
        // may tie with a transition one level above it.
        var finals = Enumerable.Range(0, 12).Select(_ => (Id: rng.Next(whole.Count), End: End(kinds[rng.Next(3)], rng.Next(2) == 0 ? kinds[rng.Next(kinds.Length)] : null)))
            .ToList();
        var edges = whole.Edges.ToArray();
        var detected = Enumerable.Range(0, 40).Select(_ =>
        {
            var e = edges[rng.Next(edges.Length)];
            return (Kind: kinds[rng.Next(3)], From: e.From, Pick: (int)e.Pick, Choices: (int)e.Choices);
        }).ToList();

        // And for each other kind a transition and a final state as deep as its witness: a tie the choices decide, which
        // the stopped walk must see both sides of.
        var depths = Graph();
        depths.Shorten();
        foreach (var kind in kinds.Skip(3))
        {
            var e = edges[rng.Next(edges.Length)];
            var level = Enumerable.Range(0, depths.Count).Where(s => depths.Depth[s] == depths.Depth[e.From] + 1).ToArray();
            detected.Add((kind, e.From, e.Pick, e.Choices));
            finals.Add((level[rng.Next(level.Length)], End(kind, null)));
        }

        var all = new BatchResult();
        StateSpaceSearch.Conclude(whole, all, finals, detected, decideLiveness: false, firstViolation: false, model.Names, stopped: false, TimeSpan.MaxValue, out int? depth);
        // No state but the root has a path until the walk gives it one: the shortest witnesses must come from the walk.
        for (int s = 1; s < walked.Count; s++) (walked.Parent[s], walked.Depth[s], walked.Choices[s]) = (-1, 0, 0);
        var part = new BatchResult();
        StateSpaceSearch.Conclude(walked, part, finals, detected, decideLiveness: false, firstViolation: false, model.Names, stopped: true, TimeSpan.MaxValue, out int? none);

        Assert.NotNull(depth);
        Assert.Null(none);
        Assert.Equal(all.Runs, part.Runs);
        Assert.Equal(all.ViolationsByKind.OrderBy(k => k.Key), part.ViolationsByKind.OrderBy(k => k.Key));
        Assert.Equal(all.Outcomes.OrderBy(k => k.Key), part.Outcomes.OrderBy(k => k.Key));
        Assert.Equal(all.Witnesses.Keys.Order(), part.Witnesses.Keys.Order());
        foreach (var (kind, w) in all.Witnesses)
        {
            Assert.Equal(w.RunIndex, part.Witnesses[kind].RunIndex);
            Assert.Equal(w.Choices, part.Witnesses[kind].Choices);
        }
    }

    /// <summary>
    /// With no time to walk (Ctrl+C on a graph too large to walk in the time a stop has), each kind takes the path that
    /// first reached a state that shows it: the search's own on the local engine, the partitions' admissions on the
    /// partitioned one. Every kind counted has a witness, and each replays to its kind.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_search_stopped_with_no_time_to_walk_keeps_a_witness_of_each_kind_that_replays(bool partitioned)
    {
        var model = Scenarios.Shipped("full-queue.json", "gate-outside-cas");
        var limits = SearchLimits.For(model) with { StoppedWalk = TimeSpan.Zero };
        using var stop = new CancellationTokenSource();
        var progress = new InlineProgress<ExploreProgress>(p => { if (p.States >= 500_000) stop.Cancel(); });
        var r = partitioned ? PartitionedSearch.Explore(model, 3, limits, progress, stop.Token).Result : StateSpaceSearch.Explore(model, limits, progress, stop.Token);
        Assert.Equal(SearchLimits.Cancelled, r.IncompleteReason);
        Assert.Null(r.Depth);
        Assert.NotEmpty(r.Result.ViolationsByKind);
        Assert.Equal(r.Result.ViolationsByKind.Keys.Order(), r.Result.Witnesses.Keys.Order());
        foreach (var (kind, w) in r.Result.Witnesses)
        {
            var replay = UntimedReplay.Run(model, w.Choices, probe: false, recordTrace: false, recordChoices: false);
            Assert.Contains(replay.Violations, v => v.Kind == kind);
            Assert.Equal(replay.Steps, w.RunIndex);
        }
    }

    static RunResult End(ViolationKind kind, ViolationKind? also)
    {
        var violations = new List<Violation> { new(kind, 0, 0, "drawn") };
        if (also is { } a) violations.Add(new(a, 0, 0, "drawn"));
        return new RunResult("", 0, 0, violations, 0, $"end {kind}", null, null, false, false);
    }
}
