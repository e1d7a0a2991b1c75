namespace SmmuActors.Client.Engines;

/// <summary>
/// The engine host for a single run that may be traced: the local engine traces in this process;
/// every other engine comes from <see cref="EngineFactory"/> and traces where its fabric runs.
/// </summary>
public static class TracedEngine
{
    public static Task<IEngineHost> CreateAsync(EngineKind engine, ClusterAddress cluster, bool trace, CancellationToken cancel) =>
        trace && engine == EngineKind.Local && cluster.IsEmbedded
            ? Task.FromResult<IEngineHost>(new LocalEngineHost(trace: true))
            : EngineFactory.CreateAsync(engine, cluster, trace, cancel);
}
