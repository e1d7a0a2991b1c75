using SmmuActors.Grains.Campaign;
using Xunit;

namespace SmmuActors.Tests.Grains;

/// <summary>How many lanes a campaign gets: silos on one host share its cores.</summary>
[Trait("Suite", "Cluster")]
public sealed class CampaignPlanTests
{
    [Theory]
    // A loopback cluster: every silo on this host shares its cores, a lane per core.
    [InlineData(new[] { "box" }, 2, 2)]
    [InlineData(new[] { "box", "box" }, 2, 2)]
    // More silos than cores: still a lane on every silo, so none stays idle (and a lost one loses work).
    [InlineData(new[] { "box", "box", "box" }, 2, 3)]
    // One silo per machine, as a real cluster runs: a lane per core of each.
    [InlineData(new[] { "a", "b", "c" }, 4, 12)]
    [InlineData(new[] { "a", "a", "b" }, 2, 4)]
    [InlineData(new string[0], 2, 1)]
    public void Lanes_are_a_lane_per_core_of_each_host_and_at_least_one_per_silo(string[] hosts, int cores, int lanes) =>
        Assert.Equal(lanes, CampaignPlan.Lanes(hosts, cores));
}
