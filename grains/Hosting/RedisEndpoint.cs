namespace SmmuActors.Grains.Hosting;

/// <summary>
/// The Redis server a cluster keeps its membership and campaigns in, as HOST:PORT; silo and client
/// read it from --redis or, when that is absent, from SMMU_ACTORS_REDIS.
/// </summary>
public static class RedisEndpoint
{
    public const string Variable = "SMMU_ACTORS_REDIS";

    public static string? FromEnvironment => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v ? v : null;

    /// <summary>Why <paramref name="value"/> is not HOST:PORT, or null when it is.</summary>
    public static string? Problem(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0) return $"'{value}' is not HOST:PORT";
        if (!int.TryParse(value[(colon + 1)..], out int port) || port is < 1 or > 65535)
            return $"'{value}' has no valid port (1 to 65535) after the host";
        return value[..colon].Any(char.IsWhiteSpace) ? $"'{value}' has white space in its host" : null;
    }
}
