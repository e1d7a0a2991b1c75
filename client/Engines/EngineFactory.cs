namespace SmmuActors.Client.Engines;

/// <summary>Turns --engine (and --cluster) into an engine host.</summary>
public static class EngineFactory
{
    /// <summary>The engines by name; the first is the default.</summary>
    public static readonly string[] Engines = ["grains", "local"];

    public static async Task<IEngineHost> CreateAsync(string engine, string? cluster, CancellationToken cancel) => engine switch
    {
        "grains" => await GrainEngineHost.CreateAsync(cluster, cancel),
        "local" when cluster is null => new LocalEngineHost(),
        "local" => throw new InputException("--cluster: the local engine runs in this process; use --engine grains to run on a cluster"),
        _ => throw new InputException($"--engine: unknown engine '{engine}'; expected {string.Join(" or ", Engines)}"),
    };
}
