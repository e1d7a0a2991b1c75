using System.CommandLine;
using SmmuActors.Client.Engines;

namespace SmmuActors.Client;

/// <summary>--engine and --cluster, shared by run, explore and replay.</summary>
public static class EngineInput
{
    public static Option<string> Engine() => new("--engine", "-e")
    {
        Description = $"where scenarios run: {string.Join(" or ", EngineFactory.Engines)} (grains: in a silo embedded in this process unless --cluster)",
        DefaultValueFactory = _ => EngineFactory.Engines[0],
    };

    public static Option<string?> Cluster() => new("--cluster")
    {
        Description = "run on a running local cluster: no value joins the one started with 'silo --instance N' (gateways 127.0.0.1:30000-30009); or HOST:PORT,... gateways",
        Arity = ArgumentArity.ZeroOrOne,
        // A bare --cluster has no token: it names the local cluster, which is found by its standard ports.
        CustomParser = r => r.Tokens.Count == 0 ? GrainConnection.LocalCluster : r.Tokens[0].Value,
    };
}
