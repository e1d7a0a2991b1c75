using SmmuActors.Model.Sim;
using System.CommandLine;
using SmmuActors.Client.Engines;

namespace SmmuActors.Client;

/// <summary>--engine and --cluster, shared by run, explore and replay.</summary>
public static class EngineInput
{
    public static Option<EngineKind> Engine()
    {
        var o = new Option<EngineKind>("--engine", "-e")
        {
            Description = $"where scenarios run: {string.Join(" or ", Naming.All<EngineKind>())} (grains: in a silo embedded in this process unless --cluster)",
            DefaultValueFactory = _ => default,
            CustomParser = r => Naming.TryParse<EngineKind>(r.Tokens[0].Value, out var e) ? e
                : throw new InputException($"--engine: unknown engine '{r.Tokens[0].Value}'; expected {string.Join(" or ", Naming.All<EngineKind>())}"),
        };
        o.CompletionSources.Add(Naming.All<EngineKind>().ToArray());
        return o;
    }

    public static Option<string?> Cluster() => new("--cluster")
    {
        Description = "run on a running local cluster: no value joins the one started with 'silo --instance N' (gateways 127.0.0.1:30000-30009); or HOST:PORT,... gateways",
        Arity = ArgumentArity.ZeroOrOne,
        // A bare --cluster has no token: it names the local cluster, which is found by its standard ports.
        CustomParser = r => r.Tokens.Count == 0 ? GrainConnection.LocalCluster : r.Tokens[0].Value,
    };
}
