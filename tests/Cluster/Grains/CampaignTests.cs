using SmmuActors.Tests.Support;
using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Grains.Campaign;

namespace SmmuActors.Tests.Grains;

/// <summary>A campaign fans out over both silos and aggregates to exactly the local engine's result, however it is cut.</summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class CampaignTests(GrainClusterFixture fixture)
{
    [Theory]
    [InlineData(3, 37)]
    [InlineData(5, 101)]
    [InlineData(0, 0)]
    public async Task A_campaign_equals_the_local_result_for_any_lanes_and_batch_size(int lanes, long batchSize)
    {
        var spec = GrainScenarios.Spec("pm-cycles.json");
        const long runs = 1500;
        long lastDone = 0;
        var status = new InlineProgress<CampaignStatus>(s =>
        {
            Assert.True(s.Done >= lastDone, "progress went backwards");
            lastDone = s.Done;
        });
        var final = await GrainCampaignRunner.RunAsync(fixture.Client, new CampaignSpec(spec, 5, runs, lanes, batchSize), null, status, CancellationToken.None);
        Assert.True(final.Finished);
        Assert.Null(final.Error);
        Assert.Equal(runs, final.Done);
        Assert.Equal(runs, lastDone);
        Assert.Equal(0, final.Reruns);
        // Each silo by its endpoint and name, not Orleans' identity (S127.0.0.1:11111:155596621), which users never see.
        Assert.Equal(fixture.Cluster.Silos.Select(s => $"{s.SiloAddress.Endpoint} ({s.Name})").Order(), final.BatchesBySilo.Keys.Order());
        Assert.Equal(final.Batches, final.BatchesBySilo.Values.Sum());
        Assert.NotEmpty(final.Result!.ViolationsByKind);
        GrainScenarios.AssertSame(GrainScenarios.Local(spec, 5, runs), final.Result);
    }

    /// <summary>
    /// A campaign the index lists open but whose record is gone (memory storage, lost with its silo) leaves the open list
    /// when the keeper resumes it, instead of being activated every pass for ever; started again from its submitter's
    /// copy, it is open again.
    /// </summary>
    [Fact]
    public async Task A_campaign_whose_record_was_lost_leaves_the_open_list_until_started_again()
    {
        var index = fixture.Client.GetGrain<ICampaignIndexGrain>(0);
        var id = Guid.NewGuid();
        var campaign = fixture.Client.GetGrain<ICampaignGrain>(id);
        await index.Add(new CampaignEntry(id, DateTime.UtcNow, "reviewer-race", "as-posted", 1, 2_000_000, false));
        await campaign.Resume();
        Assert.True((await index.List()).Single(e => e.Id == id).Finished);

        await campaign.Start(new CampaignSpec(GrainScenarios.Spec("reviewer-race.json"), 1, 2_000_000));
        Assert.False((await index.List()).Single(e => e.Id == id).Finished);
        await campaign.Cancel();
        CampaignStatus s;
        do s = await campaign.Poll(TimeSpan.FromMilliseconds(500));
        while (!s.Finished);
    }

    /// <summary>
    /// A cancel that the grain takes before the start has its spec (Cancel interleaves while Start counts the silos'
    /// workers, which a stop during the submission met) is kept: the campaign runs nothing and ends cancelled, rather
    /// than the cancel being dropped and all its runs made.
    /// </summary>
    [Fact]
    public async Task A_cancel_taken_before_the_start_has_its_spec_is_kept()
    {
        var campaign = fixture.Client.GetGrain<ICampaignGrain>(Guid.NewGuid());
        await campaign.Cancel();
        await campaign.Start(new CampaignSpec(GrainScenarios.Spec("reviewer-race.json"), 1, 100_000_000));
        var deadline = DateTime.UtcNow.AddMinutes(1);
        CampaignStatus s;
        do s = await campaign.Poll(TimeSpan.FromMilliseconds(500));
        while (!s.Finished && DateTime.UtcNow < deadline);
        Assert.True(s.Finished && s.Cancelled, $"finished {s.Finished}, cancelled {s.Cancelled}, {s.Done} runs done");
        Assert.Equal(0, s.Done);
        await campaign.Close();
    }

    [Fact]
    public async Task A_silo_stopped_mid_campaign_loses_no_run()
    {
        var spec = GrainScenarios.Spec("pm-cycles.json");
        // Long enough to outlast the first poll many times over, so the stop comes mid-campaign on any machine.
        const long runs = 60_000;
        var secondary = fixture.Cluster.Silos[^1];
        Task? stopping = null;
        long doneAtStop = -1;
        var status = new InlineProgress<CampaignStatus>(s =>
        {
            if (stopping is not null || s.Done == 0) return;
            doneAtStop = s.Done;
            stopping = Task.Run(() => fixture.Cluster.StopSiloAsync(secondary));
        });
        try
        {
            var final = await GrainCampaignRunner.RunAsync(fixture.Client, new CampaignSpec(spec, 8, runs, 4, 100), null, status, CancellationToken.None);
            Assert.NotNull(stopping);
            await stopping;
            Assert.True(doneAtStop is > 0 and < runs, $"the stop came at {doneAtStop} of {runs} runs, not mid-campaign");
            Assert.Equal(runs, final.Done);
            GrainScenarios.AssertSame(GrainScenarios.Local(spec, 8, runs), final.Result!);
        }
        finally
        {
            if (stopping is not null)
            {
                await stopping;
                // The other tests of the collection expect two silos.
                await fixture.Cluster.StartAdditionalSiloAsync();
                await fixture.Cluster.WaitForLivenessToStabilizeAsync();
            }
        }
    }
}
