using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;
using SmmuActors.Grains.Campaign;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// A cluster whose membership table and campaign state live in Redis: no primary silo, no fixed
/// ports; silos and clients find each other through the table, and a campaign outlives every silo.
/// </summary>
public static class RedisCluster
{
    public const string ClusterId = "redis";

    public static ISiloBuilder UseRedisCluster(this ISiloBuilder silo, string redis)
    {
        silo.UseRedisClustering(o => o.ConfigurationOptions = Options(redis));
        silo.Configure<ClusterOptions>(Identify);
        // The Orleans serializer, not the provider's default JSON: campaign state holds model types that
        // already have wire surrogates, and one serializer means one form to keep compatible.
        silo.AddRedisGrainStorage(CampaignStorage.Name, b => b.Configure<Serializer>((o, serializer) =>
        {
            o.ConfigurationOptions = Options(redis);
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            // A forgotten campaign's record goes from Redis, rather than stay as an empty one.
            o.DeleteStateOnClear = true;
        }));
        silo.Services.AddSingleton(s => ActivatorUtilities.CreateInstance<MembershipTableWatch>(s, redis)).AddHostedService(s => s.GetRequiredService<MembershipTableWatch>());
        return silo;
    }

    public static IClientBuilder UseRedisCluster(this IClientBuilder client, string redis) =>
        client.UseRedisClustering(o => o.ConfigurationOptions = Options(redis)).Configure<ClusterOptions>(Identify);

    /// <summary>How long a Redis server that accepts connections has to answer: a live one answers in milliseconds.</summary>
    static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(3);

    /// <summary>What a silo and a client say of a server <see cref="AnswersAsync"/> found silent.</summary>
    public static string Silent(string redis) =>
        $"{redis} accepts connections but did not answer a PING within {AnswerLimit.TotalSeconds:0} s; is its redis-server stopped or overloaded?";

    /// <summary>
    /// Whether the Redis server at <paramref name="redis"/> answers a PING within <see cref="AnswerLimit"/>. A server that
    /// is stopped (SIGSTOP) or wedged still accepts connections, in the kernel's backlog, so a connect alone says nothing
    /// of it, and a client would then wait its whole join limit and blame the silos.
    /// </summary>
    public static async Task<bool> AnswersAsync(string redis, CancellationToken cancel)
    {
        var o = ConfigurationOptions.Parse(redis);
        o.AbortOnConnectFail = true;
        o.ConnectRetry = 1;
        o.ConnectTimeout = o.AsyncTimeout = (int)AnswerLimit.TotalMilliseconds;
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(o).WaitAsync(AnswerLimit, cancel);
            await connection.GetDatabase().PingAsync().WaitAsync(AnswerLimit, cancel);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The Redis key of the cluster's membership table, a hash of a row per silo that ever joined.</summary>
    internal static RedisKey TableKey()
    {
        var cluster = new ClusterOptions();
        Identify(cluster);
        return new RedisClusteringOptions().CreateRedisKey(cluster);
    }

    /// <summary>
    /// The silos the membership table in <paramref name="redis"/> lists, for a client that no silo answered; none if
    /// the table cannot be read, which then says nothing of them. Rows are Orleans.Clustering.Redis's JSON of a
    /// MembershipEntry; only the fields a user is told of are read.
    /// </summary>
    public static async Task<MembershipEntry[]> MembersAsync(string redis, CancellationToken cancel)
    {
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(ConfigurationOptions.Parse(redis)).WaitAsync(AnswerLimit, cancel);
            var rows = await connection.GetDatabase().HashGetAllAsync(TableKey()).WaitAsync(AnswerLimit, cancel);
            return rows.Where(r => r.Name != "Version" && r.Value.HasValue).Select(r => Member(r.Value.ToString())).ToArray();
        }
        catch (Exception e) when (e is RedisException or TimeoutException or JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return [];
        }
    }

    static MembershipEntry Member(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var row = doc.RootElement;
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.FromParsableString(Text(row.GetProperty("SiloAddress"), "SiloAddress")),
            Status = (SiloStatus)row.GetProperty("Status").GetInt32(),
            SiloName = Text(row, "SiloName"),
            StartTime = row.GetProperty("StartTime").GetDateTime().ToUniversalTime(),
            IAmAliveTime = row.GetProperty("IAmAliveTime").GetDateTime().ToUniversalTime(),
        };
    }

    static string Text(JsonElement o, string field) => o.GetProperty(field).GetString() ?? throw new JsonException($"a membership row without its {field}");

    static void Identify(ClusterOptions o)
    {
        o.ServiceId = LocalCluster.ServiceId;
        o.ClusterId = ClusterId;
    }

    /// <summary>
    /// Keeps retrying while Redis is away (a restart mid-campaign must not kill a silo's start or its
    /// membership updates); callers see a timeout per call and retry.
    /// </summary>
    internal static ConfigurationOptions Options(string redis)
    {
        var o = ConfigurationOptions.Parse(redis);
        o.AbortOnConnectFail = false;
        return o;
    }
}
