using System.CommandLine;
using SmmuActors.Client.Engines;
using SmmuActors.Grains.Hosting;

namespace SmmuActors.Client;

/// <summary>--cluster and --redis, shared by every command that reaches grains: which cluster to join, if any.</summary>
public sealed class ClusterInput
{
    public Option<string?> Gateways { get; } = new("--cluster")
    {
        Description = "run on a running local cluster: no value joins the one started with 'dotnet run --project silo -- --instance N' through instance 0's gateway (127.0.0.1:30000); or HOST:PORT,... gateways",
        Arity = ArgumentArity.ZeroOrOne,
        // A bare --cluster has no token: it names the local cluster, which is found by its standard ports.
        CustomParser = r => r.Tokens.Count == 0 ? GrainConnection.LocalCluster : r.Tokens[0].Value,
    };

    public Option<string?> Redis { get; } = new("--redis")
    {
        Description = $"run on the cluster kept in this Redis server (HOST:PORT, as given to 'silo --redis'); default ${RedisEndpoint.Variable} unless --cluster is given",
    };

    /// <summary>
    /// An explicit --cluster, or an explicit --engine local (<paramref name="engine"/>), wins over the environment's Redis:
    /// a shell that exported it for the cluster still runs a local exploration when asked; both --cluster and --redis given
    /// on the command line is a contradiction.
    /// </summary>
    public ClusterAddress Read(ParseResult pr, EngineKind? engine = null)
    {
        string? gateways = pr.GetValue(Gateways), redis = pr.GetValue(Redis);
        if (gateways is not null && redis is not null) throw new InputException("--redis: give --redis or --cluster, not both");
        redis ??= gateways is null && engine != EngineKind.Local ? RedisEndpoint.FromEnvironment : null;
        if (redis is not null && RedisEndpoint.Problem(redis) is { } problem)
            throw new InputException(pr.GetValue(Redis) is null ? $"{RedisEndpoint.Variable}: {problem}" : $"--redis: {problem}");
        return new ClusterAddress(gateways, redis, redis is not null && pr.GetValue(Redis) is null);
    }
}
