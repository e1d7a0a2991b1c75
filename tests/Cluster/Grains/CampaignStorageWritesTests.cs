using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Grains;

/// <summary>
/// A campaign stores its whole record (its batch map grows with it), so it stores it at most about once a second and at
/// the end, not after every batch: a write per batch made storage traffic grow with the square of the batches.
/// </summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class CampaignStorageWritesTests
{
    [Fact]
    public async Task A_campaign_of_many_batches_stores_its_record_a_few_times_not_once_a_batch()
    {
        // Writes that take a while, as Redis's round trips do: the lanes merge during each, and a write started by a lane
        // once wrote again straight after, for as long as they did (40 writes in a campaign of 2 s).
        var storage = new CampaignRecordStorage { WriteTakes = TimeSpan.FromMilliseconds(50) };
        await using var cluster = await storage.ClusterAsync(1);
        try
        {
            var spec = GrainScenarios.Spec("reviewer-race.json");
            const long runs = 4000;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var final = await GrainCampaignRunner.RunAsync(cluster.Client, new CampaignSpec(spec, 3, runs, 2, 20), null, null, CancellationToken.None);
            double seconds = clock.Elapsed.TotalSeconds;
            Assert.True(final.Finished);
            Assert.Equal(runs, final.Done);
            Assert.Equal(200, final.Batches);
            // The start, at most one a second while it runs, and the end.
            Assert.True(storage.CampaignWrites >= 2, $"{storage.CampaignWrites} writes");
            Assert.True(storage.CampaignWrites <= 3 + seconds, $"{storage.CampaignWrites} writes in {seconds:0.0} s");
            Assert.InRange(storage.CampaignWrites, 2, final.Batches / 4);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }

    /// <summary>
    /// Storage away mid-campaign (Redis restarting) is waited out by the writer alone: every lane once stalled behind the
    /// write, so a lane's silo could die unnoticed while it waited (its batches moved, none re-run, in a kill -9 test).
    /// The lanes merge every batch while no write succeeds; the campaign ends, stored, once storage is back.
    /// </summary>
    [Fact]
    public async Task Lanes_go_on_merging_batches_while_storage_refuses_the_record()
    {
        bool away = true;
        int refused = 0;
        var storage = new CampaignRecordStorage();
        storage.Unwritten = s =>
        {
            if (!Volatile.Read(ref away) || s.Total.Runs == 0) return false;
            Interlocked.Increment(ref refused);
            return true;
        };
        await using var cluster = await storage.ClusterAsync(1);
        try
        {
            const long runs = 2000;
            var campaign = cluster.Client.GetGrain<ICampaignGrain>(Guid.NewGuid());
            await campaign.Start(new CampaignSpec(GrainScenarios.Spec("reviewer-race.json"), 3, runs, 2, 20));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            CampaignStatus s;
            do s = await campaign.Poll(TimeSpan.FromMilliseconds(200));
            while (s.Done < runs && clock.Elapsed < TimeSpan.FromSeconds(60));
            Assert.True(s.Done == runs, $"{s.Done} of {runs} runs merged while storage was away");
            Assert.False(s.Finished, "finished before its end was stored");
            Assert.True(Volatile.Read(ref refused) > 0, "no write was refused: the test tested nothing");
            Volatile.Write(ref away, false);
            do s = await campaign.Poll(TimeSpan.FromMilliseconds(500));
            while (!s.Finished && clock.Elapsed < TimeSpan.FromSeconds(90));
            Assert.True(s.Finished, "the campaign never ended after storage came back");
            Assert.Null(s.Error);
            Assert.Equal(0, s.Reruns);
            Assert.Equal(runs, s.Done);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }

    /// <summary>A start whose first write fails is not half-started: the caller's next Start runs the campaign.</summary>
    [Fact]
    public async Task A_start_that_could_not_store_the_campaign_can_be_made_again()
    {
        var storage = new CampaignRecordStorage { FailCampaignWrites = 1 };
        await using var cluster = await storage.ClusterAsync(1);
        try
        {
            var spec = new CampaignSpec(GrainScenarios.Spec("reviewer-race.json"), 3, 500, 1, 100);
            var campaign = cluster.Client.GetGrain<ICampaignGrain>(Guid.NewGuid());
            await Assert.ThrowsAnyAsync<Exception>(() => campaign.Start(spec));
            await campaign.Start(spec);
            CampaignStatus s;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            do s = await campaign.Poll(TimeSpan.FromMilliseconds(500));
            while (!s.Finished && clock.Elapsed < TimeSpan.FromSeconds(30));
            Assert.True(s.Finished, "the campaign never ran after the second start");
            Assert.Null(s.Error);
            Assert.Equal(500, s.Done);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }
}
