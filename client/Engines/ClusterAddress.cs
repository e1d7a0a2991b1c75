namespace SmmuActors.Client.Engines;

/// <summary>
/// Where the grain engine runs: in a silo embedded in this process (neither given), on a loopback
/// cluster through its gateways (<see cref="GrainConnection.LocalCluster"/> or HOST:PORT,...), or on
/// the cluster whose membership is kept in the Redis server at HOST:PORT.
/// </summary>
/// <param name="RedisFromEnvironment">Redis came from SMMU_ACTORS_REDIS, not --redis: what an error about it names.</param>
public sealed record ClusterAddress(string? Gateways, string? Redis, bool RedisFromEnvironment = false)
{
    public static readonly ClusterAddress Embedded = new(null, null);

    public bool IsEmbedded => Gateways is null && Redis is null;

    /// <summary>
    /// The options that name this cluster to another command (" --cluster HOST:PORT", " --redis HOST:PORT", with the
    /// leading space), for the commands a client prints for the user to run next: without them, a campaign on a
    /// --cluster cluster was looked for in Redis.
    /// </summary>
    public string Options => Gateways is not null
        ? Gateways == GrainConnection.LocalCluster ? " --cluster" : $" --cluster {Gateways}"
        : Redis is not null ? $" --redis {Redis}" : "";
}
