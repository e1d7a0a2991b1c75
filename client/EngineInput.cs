using System.CommandLine;
using SmmuActors.Client.Engines;

namespace SmmuActors.Client;

/// <summary>--engine and --cluster, shared by run, explore and replay.</summary>
public static class EngineInput
{
    public static Option<string> Engine() => new("--engine", "-e")
    {
        Description = $"where scenarios run: {string.Join(" or ", EngineFactory.Engines)}",
        DefaultValueFactory = _ => EngineFactory.Engines[0],
    };

    public static Option<string?> Cluster() => new("--cluster")
    {
        Description = "join a running local cluster (no value: the one started with 'silo --instance N'; or HOST:PORT,... gateways)",
        Arity = ArgumentArity.ZeroOrOne,
    };
}
