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
        Assert.Equal(2, final.BatchesBySilo.Count);
        Assert.Equal(final.Batches, final.BatchesBySilo.Values.Sum());
        Assert.NotEmpty(final.Result!.ViolationsByKind);
        GrainScenarios.AssertSame(GrainScenarios.Local(spec, 5, runs), final.Result);
    }

    [Fact]
    public async Task A_silo_stopped_mid_campaign_loses_no_run()
    {
        var spec = GrainScenarios.Spec("pm-cycles.json");
        const long runs = 4000;
        var secondary = fixture.Cluster.Silos[^1];
        Task? stopping = null;
        long doneAtStop = -1;
        var status = new InlineProgress<CampaignStatus>(s =>
        {
            if (stopping is not null || s.Done < runs / 10) return;
            doneAtStop = s.Done;
            stopping = Task.Run(() => fixture.Cluster.StopSiloAsync(secondary));
        });
        try
        {
            var final = await GrainCampaignRunner.RunAsync(fixture.Client, new CampaignSpec(spec, 8, runs, 4, 20), null, status, CancellationToken.None);
            Assert.NotNull(stopping);
            await stopping;
            Assert.InRange(doneAtStop, 1, runs - 1);
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
