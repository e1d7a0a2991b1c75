namespace SmmuActors.Grains.Hosting;

/// <summary>
/// Where campaigns keep their state: Redis in a Redis cluster (see <see cref="RedisCluster"/>),
/// otherwise the silos' memory, which lasts as long as the embedded silo or the loopback cluster does.
/// </summary>
public static class CampaignStorage
{
    public const string Name = "campaigns";

    public static ISiloBuilder AddMemoryCampaignStorage(this ISiloBuilder silo) => silo.AddMemoryGrainStorage(Name);
}
