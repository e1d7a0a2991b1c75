using SmmuActors.Model.Sim;
using System.CommandLine;
using SmmuActors.Client.Engines;

namespace SmmuActors.Client;

/// <summary>--engine, shared by run, explore and replay (the cluster it runs on: <see cref="ClusterInput"/>).</summary>
public static class EngineInput
{
    public static Option<EngineKind?> Engine()
    {
        var o = new Option<EngineKind?>("--engine", "-e")
        {
            HelpName = string.Join("|", Naming.All<EngineKind>()),
            Description = $"where scenarios run: {string.Join(" or ", Naming.All<EngineKind>())} (default: local, or grains on a --cluster or --redis cluster; grains: in a silo embedded in this process unless --cluster)",
            // A parse error, not an exception: the parser runs before the command's own handling of bad input.
            CustomParser = r =>
            {
                if (Naming.TryParse<EngineKind>(r.Tokens[0].Value, out var e)) return e;
                r.AddError($"--engine: unknown engine '{r.Tokens[0].Value}'; expected {string.Join(" or ", Naming.All<EngineKind>())}");
                return null;
            },
        };
        o.CompletionSources.Add(Naming.All<EngineKind>().ToArray());
        return o;
    }

    /// <summary>The engine asked for, else the fastest that runs where asked: the local engine in this process, the grain engine on a cluster.</summary>
    public static EngineKind Resolve(EngineKind? given, ClusterAddress cluster) =>
        given ?? (cluster.IsEmbedded ? EngineKind.Local : EngineKind.Grains);
}
