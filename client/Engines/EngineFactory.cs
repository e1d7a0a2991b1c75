namespace SmmuActors.Client.Engines;

/// <summary>Turns --engine (and --cluster) into an engine host.</summary>
public static class EngineFactory
{
    public static readonly string[] Engines = ["local"];

    public static Task<IEngineHost> CreateAsync(string engine, string? cluster, CancellationToken cancel) => engine switch
    {
        "local" => Task.FromResult<IEngineHost>(new LocalEngineHost()),
        _ => throw new InputException($"--engine: unknown engine '{engine}'; expected {string.Join(" or ", Engines)}"),
    };
}
