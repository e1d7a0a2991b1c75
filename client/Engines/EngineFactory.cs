using SmmuActors.Model.Sim;

namespace SmmuActors.Client.Engines;

/// <summary>Turns --engine (and --cluster or --redis) into an engine host.</summary>
public static class EngineFactory
{
    public static async Task<IEngineHost> CreateAsync(EngineKind engine, ClusterAddress cluster, bool traced, CancellationToken cancel) => engine switch
    {
        EngineKind.Grains => await GrainEngineHost.CreateAsync(cluster, traced, cancel),
        _ when cluster.IsEmbedded => new LocalEngineHost(),
        _ => throw new InputException($"{(cluster.Redis is null ? "--cluster" : "--redis")}: the local engine runs in this process; use --engine {Naming.Kebab(EngineKind.Grains)} to run on a cluster"),
    };
}
