using System.Diagnostics;
using Orleans.TestingHost;
using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Tests.Support;
using Xunit.Abstractions;

namespace SmmuActors.Tests.Grains;

/// <summary>
/// A campaign's activation deactivated mid-run (by Orleans for any reason, or with its silo's graceful shutdown) stops
/// its work: the next activation carries the campaign on from its stored record, alone, to the result of an undisturbed
/// campaign, and the stopped one never writes over the record the next one keeps.
/// </summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class CampaignHandoverTests(ITestOutputHelper output)
{
    const string Workload = "pm-cycles.json";
    const ulong Seed = 8;
    // Long enough that both activations would run side by side for seconds were the first not stopped: each stores its
    // record about once a second, so the second writer of the two would be refused.
    const long Runs = 30000;

    static CampaignSpec Spec => new(GrainScenarios.Spec(Workload), Seed, Runs, 2, 50);

    [Fact]
    public async Task A_campaign_deactivated_mid_run_is_carried_on_by_the_next_activation_alone()
    {
        var storage = new CampaignRecordStorage();
        await using var cluster = await storage.ClusterAsync(1);
        try
        {
            await Disturbed(cluster, storage, "deactivated", (campaign, _) => campaign.Close());
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }

    [Fact]
    public async Task A_graceful_shutdown_of_the_campaigns_silo_hands_it_on_to_another()
    {
        var storage = new CampaignRecordStorage();
        await using var cluster = await storage.ClusterAsync(2);
        try
        {
            await Disturbed(cluster, storage, "its silo shut down", async (_, host) => await cluster.StopSiloAsync(host));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }

    /// <summary>
    /// A cancel is stored when it is asked for. The campaign's silo lost before it could store its end, the next activation
    /// finishes it as cancelled with the runs merged by the cancel, rather than run the rest.
    /// </summary>
    [Fact]
    public async Task A_cancelled_campaign_whose_silo_is_lost_is_not_resumed()
    {
        var storage = new CampaignRecordStorage();
        await using var cluster = await storage.ClusterAsync(2);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var id = await GrainCampaignRunner.SubmitAsync(cluster.Client, Spec, timeout.Token);
            var campaign = cluster.Client.GetGrain<ICampaignGrain>(id);
            var s = await WaitForDone(campaign, Runs / 10, timeout.Token);
            var host = await Host(cluster, id);
            storage.Unwritten = record => record.Finished;
            await campaign.Cancel();
            await cluster.KillSiloAsync(host);
            storage.Unwritten = _ => false;
            var final = await GrainCampaignRunner.FollowAsync(cluster.Client, id, null, null, null, timeout.Token);
            output.WriteLine($"cancelled at {s.Done} of {Runs} runs and its silo killed; finished with {final.Done}, resumed {final.Resumes} times");
            Assert.True(final.Cancelled, $"the cancel was lost with the silo: the campaign ran on to {final.Done} runs");
            Assert.InRange(final.Done, s.Done, Runs - 1);
            Assert.Equal(1, final.Resumes);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
        }
    }

    static async Task<CampaignStatus> WaitForDone(ICampaignGrain campaign, long runs, CancellationToken cancel)
    {
        CampaignStatus s;
        do s = await campaign.Poll(TimeSpan.FromMilliseconds(200)).WaitAsync(cancel);
        while (s.Done < runs && !s.Finished);
        Assert.False(s.Finished, "the campaign ended before it could be disturbed");
        return s;
    }

    async Task Disturbed(InProcessTestCluster cluster, CampaignRecordStorage storage, string what, Func<ICampaignGrain, InProcessSiloHandle, Task> disturb)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var id = await GrainCampaignRunner.SubmitAsync(cluster.Client, Spec, timeout.Token);
        var campaign = cluster.Client.GetGrain<ICampaignGrain>(id);
        var s = await WaitForDone(campaign, Runs / 10, timeout.Token);
        var clock = Stopwatch.StartNew();
        await disturb(campaign, await Host(cluster, id));
        // The merged batches are stored as the activation goes, so the next one carries on from there rather than run them again.
        long least = long.MaxValue;
        var after = new InlineProgress<CampaignStatus>(a => least = Math.Min(least, a.Done));
        var final = await GrainCampaignRunner.FollowAsync(cluster.Client, id, null, null, after, timeout.Token);
        output.WriteLine($"{what} at {s.Done} of {Runs} runs; finished {clock.Elapsed.TotalSeconds:F1} s later, resumed {final.Resumes} times, " +
            $"{final.Reruns} batches re-run, {storage.CampaignWrites} writes, {storage.Conflicts} refused");
        Assert.True(least >= s.Done, $"progress went back from {s.Done} to {least} runs: the batches merged were not stored");
        Assert.Equal(0, storage.Conflicts);
        Assert.Equal(1, final.Resumes);
        Assert.Equal(Runs, final.Done);
        Assert.False(final.Cancelled);
        GrainScenarios.AssertSame(GrainScenarios.Local(Spec.Scenario, Seed, Runs), final.Result!);
    }

    /// <summary>The silo whose activation of campaign <paramref name="id"/> the cluster lists.</summary>
    static async Task<InProcessSiloHandle> Host(InProcessTestCluster cluster, Guid id)
    {
        var stats = await cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var activation = stats.Single(a => a.GrainId.ToString().Contains(id.ToString("N")) && a.GrainType.Contains("CampaignGrain"));
        return cluster.Silos.Single(silo => silo.SiloAddress.Equals(activation.SiloAddress));
    }
}
