using Orleans.Serialization;
using Orleans.Storage;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// Where campaigns keep their state: Redis in a Redis cluster (see <see cref="RedisCluster"/>),
/// otherwise the silos' memory, which lasts as long as the embedded silo or the loopback cluster does.
/// </summary>
public static class CampaignStorage
{
    public const string Name = "campaigns";

    /// <summary>
    /// With the Orleans serializer, as in Redis: the provider's default JSON took the campaign grain seconds of CPU
    /// per write once a campaign had 200,000 batches (100,000,000 runs), long turns that held up its stop.
    /// </summary>
    public static ISiloBuilder AddMemoryCampaignStorage(this ISiloBuilder silo) =>
        silo.AddMemoryGrainStorage(Name, b => b.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
}
