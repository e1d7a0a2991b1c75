using SmmuActors.Client.Rendering;
using SmmuActors.Model.Exploration;

namespace SmmuActors.Tests.Cli;

/// <summary>A search's progress counts states, a campaign's runs: each line names what it counts.</summary>
public sealed class ProgressLineTests
{
    [Fact]
    public void ASearchCountsStatesAndACampaignRuns()
    {
        var search = ProgressLine.Describe(new ExploreProgress(1_520_000, 0, 10_887, 1_520_000), 300_721, search: true);
        Assert.Equal("1,520,000 states, 300,721/s, 10,887 violating transitions", search);
        var campaign = ProgressLine.Describe(new ExploreProgress(40_000, 100_000, 3, 4_800_000), 20_000, search: false, "/100,000");
        Assert.Equal("40,000/100,000 runs, 20,000/s, 3 violations, 4,800,000 deliveries", campaign);
    }
}
