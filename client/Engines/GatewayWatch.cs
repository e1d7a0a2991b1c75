using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Messaging;

namespace SmmuActors.Client.Engines;

/// <summary>
/// Whether the client still has a gateway. Orleans says at once when its last gateway is lost and when one is found
/// again; a client following a campaign or a search gives up on the cluster once it has had none for <see cref="Grace"/>,
/// rather than after its whole budget of failed polls (about 45 s), in which its progress line stood still.
/// </summary>
public sealed class GatewayWatch
{
    /// <summary>Failed polls in a row tolerated while a gateway is left: a silo lost behind one is dropped within seconds.</summary>
    const int MaxPollFailures = 60;

    /// <summary>How long the client may have no gateway before the cluster counts as lost: one restarted at once is found again within it.</summary>
    static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    long _lostAt = -1;

    /// <summary>Registers the watch and Orleans' handlers that feed it on a client's builder.</summary>
    public static IClientBuilder Add(IClientBuilder client)
    {
        client.Services.AddSingleton<GatewayWatch>();
        return client
            .AddClusterConnectionLostHandler(s => (_, _) => s.GetRequiredService<GatewayWatch>().Lost())
            .AddGatewayCountChangedHandler(s => (_, e) => s.GetRequiredService<GatewayWatch>().Connected(e.NumberOfConnectedGateways));
    }

    void Lost() => Interlocked.CompareExchange(ref _lostAt, Stopwatch.GetTimestamp(), -1);

    void Connected(int gateways)
    {
        if (gateways > 0) Interlocked.Exchange(ref _lostAt, -1);
        else Lost();
    }

    TimeSpan? Gone
    {
        get
        {
            long at = Interlocked.Read(ref _lostAt);
            return at < 0 ? null : Stopwatch.GetElapsedTime(at);
        }
    }

    /// <summary>
    /// How long a poll may take before it counts as failed. One sent just before its gateway was lost is not failed by
    /// Orleans but waits out its 30 s response timeout (dotnet/orleans#10165); an answer takes the poll's own wait and
    /// milliseconds more.
    /// </summary>
    public static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Counts a poll through <paramref name="grains"/> that failed with <paramref name="failed"/>, to be tried again. Once
    /// the client has had no gateway for <see cref="Grace"/>, or <see cref="MaxPollFailures"/> polls in a row have failed
    /// with a gateway left, the loss is thrown as a <see cref="ConnectionFailedException"/>, which the CLI reports as a lost
    /// connection, whatever the poll failed with. The second is a loopback cluster whose primary was killed: the gateways
    /// left answer, but reject every call, since the membership table went with the primary; it was reported as a bug.
    /// An embedded silo has no gateway to lose.
    /// </summary>
    public static void Retry(IGrainFactory grains, ref int failures, Exception failed)
    {
        if ((grains as IClusterClient)?.ServiceProvider.GetService<GatewayWatch>()?.Gone is { } gone && gone > Grace)
            throw new ConnectionFailedException($"no gateway of the cluster has answered for {gone.TotalSeconds:0} s", failed);
        if (++failures >= MaxPollFailures)
            throw new ConnectionFailedException($"{MaxPollFailures} polls in a row failed, the last with: {failed.Message}; " +
                                                "on a loopback cluster, is its primary (instance 0) gone?", failed);
    }
}
