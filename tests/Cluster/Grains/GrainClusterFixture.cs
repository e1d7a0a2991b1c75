using SmmuActors.Tests.Support;
using Orleans.TestingHost;
using SmmuActors.Grains.Hosting;

namespace SmmuActors.Tests.Grains;

/// <summary>
/// The one 2-silo cluster of the test assembly. xunit runs collections in parallel, so every test
/// that needs a cluster (this one, or silo processes of its own) belongs to this collection and the
/// two cores never host two clusters at once.
/// </summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddSmmuActors(propagateTraces: true).AddMemoryCampaignStorage());
        builder.ConfigureClient(c => c.AddActivityPropagation());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GrainClusterCollection : ICollectionFixture<GrainClusterFixture>
{
    public const string Name = "grain cluster";
}
