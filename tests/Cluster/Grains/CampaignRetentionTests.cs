using System.Diagnostics;
using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Grains.Campaign;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Grains;

/// <summary>
/// The index of a long-lived cluster does not keep every campaign ever run: past the silos' retention the keeper forgets
/// a finished campaign, its entry and its record; a running one is kept whatever its age.
/// </summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class CampaignRetentionTests
{
    [Fact]
    public async Task Past_the_retention_a_finished_campaign_is_forgotten_and_a_running_one_kept()
    {
        var storage = new CampaignRecordStorage();
        // No retention at all: a campaign is forgotten at the keeper's first pass after it finished.
        await using var cluster = await storage.ClusterAsync(1, silo => silo.Configure<CampaignRetention>(o => o.After = TimeSpan.Zero));
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var index = cluster.Client.GetGrain<ICampaignIndexGrain>(0);
            var done = Guid.Empty;
            var finished = await GrainCampaignRunner.RunAsync(cluster.Client, new CampaignSpec(GrainScenarios.Spec("reviewer-race.json"), 3, 500, 1, 100),
                null, null, timeout.Token, started: id => done = id);
            Assert.True(finished.Finished);
            var running = await GrainCampaignRunner.SubmitAsync(cluster.Client, new CampaignSpec(GrainScenarios.Spec("reviewer-race.json"), 1, 2_000_000), timeout.Token);

            // The keeper passes every two seconds; generous for two busy cores.
            var clock = Stopwatch.StartNew();
            while ((await index.List()).Any(e => e.Id == done) && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(200, timeout.Token);
            var entries = await index.List();
            Assert.DoesNotContain(entries, e => e.Id == done);
            Assert.False(storage.Holds(done), "the forgotten campaign's record is still stored");
            Assert.False((await cluster.Client.GetGrain<ICampaignGrain>(done).Poll(TimeSpan.Zero)).Started);

            Assert.Contains(entries, e => e.Id == running);
            var campaign = cluster.Client.GetGrain<ICampaignGrain>(running);
            Assert.False(await campaign.Forget(), "a running campaign was forgotten");
            Assert.True(storage.Holds(running));
            await GrainCampaignRunner.CancelAsync(cluster.Client, running);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }
}
