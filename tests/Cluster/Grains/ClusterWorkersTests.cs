using SmmuActors.Grains.Placement;
using Xunit;

namespace SmmuActors.Tests.Grains;

/// <summary>How many workers (a campaign's lanes, a search's partitions) a cluster gets: silos on one host share its cores.</summary>
[Trait("Suite", "Cluster")]
public sealed class ClusterWorkersTests
{
    [Theory]
    // A loopback cluster: every silo on this host shares its cores, a worker per core.
    [InlineData(new[] { "box" }, 2, 2)]
    [InlineData(new[] { "box", "box" }, 2, 2)]
    // More silos than cores: still a worker on every silo, so none stays idle (and a lost one loses work).
    [InlineData(new[] { "box", "box", "box" }, 2, 3)]
    // One silo per machine, as a real cluster runs: a worker per core of each.
    [InlineData(new[] { "a", "b", "c" }, 4, 12)]
    [InlineData(new[] { "a", "a", "b" }, 2, 4)]
    [InlineData(new string[0], 2, 1)]
    public void A_worker_per_core_of_each_host_and_at_least_one_per_silo(string[] hosts, int cores, int workers) =>
        Assert.Equal(workers, ClusterWorkers.For(hosts, cores));
}
