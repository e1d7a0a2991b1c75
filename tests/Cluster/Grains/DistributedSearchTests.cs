using System.Diagnostics;
using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Grains;

/// <summary>
/// The exhaustive search split over the partitions of a 2-silo cluster finds what the local search finds: the same
/// distinct states, final states, kinds (liveness ones too), branches and witness lengths, with both silos working.
/// </summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class DistributedSearchTests(GrainClusterFixture fixture)
{
    [Theory]
    [InlineData("as-posted")]
    [InlineData("recheck-mb")]
    [InlineData("gate-outside-cas")]
    [InlineData("unmasked-flags")]
    public async Task Across_two_silos_it_finds_what_the_local_search_finds(string preset)
    {
        var spec = GrainScenarios.Spec("reviewer-race.json", preset);
        var r = await Search().Explore(spec);
        SearchAssert.Same(Explorer.Exhaustive(spec.Build(), null, CancellationToken.None), r.Search);
        Assert.Equal(2 * Environment.ProcessorCount, r.Partitions);
        Assert.Equal(2, r.PartitionsBySilo.Count);
        Assert.All(r.StatesBySilo.Values, states => Assert.True(states > 0, string.Join(", ", r.StatesBySilo)));
        Assert.True(r.Batches > 0 && r.Entries > 0, $"{r.Batches} batches, {r.Entries} successors sent");
        Assert.Equal(0, r.Restarts);
    }

    /// <summary>Many partitions on two silos: most successors cross to another partition, and the result stays the same.</summary>
    [Fact]
    public async Task Seven_partitions_give_the_same_states()
    {
        var spec = GrainScenarios.Spec("reviewer-race.json", "no-gate");
        var r = await Search().Explore(spec, partitions: 7);
        SearchAssert.Same(Explorer.Exhaustive(spec.Build(), null, CancellationToken.None), r.Search);
        Assert.Equal(7, r.PartitionsBySilo.Values.Sum());
    }

    [Fact]
    public async Task Stopped_it_returns_the_states_searched_so_far_as_cancelled()
    {
        var search = Search();
        var running = search.Explore(GrainScenarios.Spec("full-queue.json"));
        var clock = Stopwatch.StartNew();
        while (await search.Progress() < 10_000)
        {
            Assert.False(running.IsCompleted, "the search ended before it could be stopped");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "no progress in a minute");
            await Task.Delay(50);
        }
        clock.Restart();
        await search.Stop();
        var r = await running;
        // Generous for two busy cores: the partitions stop within a round, then the graph so far is read.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed.TotalSeconds:0.0} s to stop");
        Assert.Equal(SearchLimits.Cancelled, r.Search.IncompleteReason);
        Assert.True(r.Search.States >= 10_000, $"{r.Search.States} states");
    }

    [Fact]
    public async Task A_timeout_ends_it_as_incomplete_with_the_timeout()
    {
        var r = await Search().Explore(GrainScenarios.Spec("full-queue.json"), TimeSpan.FromSeconds(1));
        Assert.Equal("--timeout 1 s", r.Search.IncompleteReason);
        Assert.True(r.Search.States > 0);
    }

    IDistributedSearchGrain Search() => fixture.Client.GetGrain<IDistributedSearchGrain>(Guid.NewGuid());
}
