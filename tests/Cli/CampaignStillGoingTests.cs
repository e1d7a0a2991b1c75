using SmmuActors.Client.Commands;

namespace SmmuActors.Tests.Cli;

/// <summary>`campaign forget` of a campaign still shrinking its witnesses said it "is running (50,000 of 50,000 runs)".</summary>
[Trait("Suite", "Cli")]
public class CampaignStillGoingTests
{
    [Theory]
    [InlineData(1_200, 50_000, "running (1,200 of 50,000 runs)")]
    [InlineData(50_000, 50_000, "shrinking its counterexamples (50,000 runs done)")]
    [InlineData(1, 1, "shrinking its counterexamples (1 run done)")]
    public void An_unfinished_campaign_is_running_or_shrinking(long done, long total, string says) =>
        Assert.Equal(says, CampaignAccess.StillGoing(done, total));
}
