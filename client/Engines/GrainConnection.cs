using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using SmmuActors.Grains.Hosting;
using StackExchange.Redis;

namespace SmmuActors.Client.Engines;

/// <summary>
/// How this process reaches the grains: a silo embedded in the process (no set-up needed), a client
/// of a running local cluster, found on its standard gateway ports or named explicitly, or a client of
/// a Redis cluster, which finds the gateways in the membership table.
/// </summary>
public sealed class GrainConnection : IAsyncDisposable
{
    /// <summary>The value of a bare --cluster: find the cluster started with `silo --instance N`.</summary>
    public const string LocalCluster = "local";

    /// <summary>How long joining a cluster may take before it is reported as not there: a client left alone retries for minutes.</summary>
    static readonly TimeSpan JoinLimit = TimeSpan.FromSeconds(10);

    readonly IHost _host;
    readonly CancellationToken _stop;

    public IClusterClient Client { get; }

    /// <summary>Where the grains run, in words, for the summary and the JSON.</summary>
    public string Where { get; }

    /// <summary>The silo is this process's own: what runs there ends with it.</summary>
    public bool Embedded { get; private set; }

    GrainConnection(IHost host, string where, CancellationToken stop)
    {
        _host = host;
        Where = where;
        _stop = stop;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <param name="traced">Whether this process records traces, so an embedded silo passes trace context along its grain calls.</param>
    public static Task<GrainConnection> ConnectAsync(ClusterAddress cluster, bool traced, CancellationToken cancel) =>
        cluster.Redis is { } redis ? RedisAsync(redis, cancel, cluster.RedisFromEnvironment)
        : cluster.Gateways is { } gateways ? ClusterAsync(gateways, cancel)
        : EmbeddedAsync(traced, cancel);

    public static async Task<GrainConnection> EmbeddedAsync(bool traced, CancellationToken cancel)
    {
        var builder = NewBuilder();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort.On(IPAddress.Loopback), FreePort.On(IPAddress.Loopback), null,
                Grains.Hosting.LocalCluster.ServiceId, $"embedded-{Environment.ProcessId}")
            .Configure<SiloOptions>(o => o.SiloName = SiloNames.Embedded)
            .AddMemoryCampaignStorage()
            .AddSmmuActors(propagateTraces: traced));
        var connection = await StartAsync(builder.Build, "a silo embedded in this process", CancellationToken.None, cancel);
        connection.Embedded = true;
        return connection;
    }

    /// <summary>Joins the cluster kept in the Redis server at <paramref name="redis"/> (HOST:PORT), given by --redis or, <paramref name="fromEnvironment"/>, by SMMU_ACTORS_REDIS.</summary>
    public static async Task<GrainConnection> RedisAsync(string redis, CancellationToken cancel, bool fromEnvironment = false)
    {
        // The Redis client retries a server that is not there for over ten seconds and logs its stack traces: ask first.
        string given = fromEnvironment ? $"{RedisEndpoint.Variable}={redis}" : "--redis";
        if (!await Listening.AtRedisAsync(redis, cancel))
            throw new InputException(given
                + $": nothing listens at {redis}; is redis-server running there, with the silos started with --redis {redis}?"
                + (fromEnvironment ? $" (unset {RedisEndpoint.Variable}, or give --engine local, to run in this process)" : ""));
        if (!await RedisCluster.AnswersAsync(redis, cancel))
            throw new InputException($"{given}: {RedisCluster.Silent(redis)}");
        var waited = TimeSpan.Zero;
        bool told = false;
        while (true)
        {
            var builder = NewBuilder();
            builder.UseOrleansClient(c => GatewayWatch.Add(c.UseRedisCluster(redis).AddActivityPropagation()));
            // With no silo in the membership table the client waits for a gateway for ever, saying nothing.
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            limit.CancelAfter(JoinLimit);
            try
            {
                return await StartAsync(builder.Build, $"the cluster kept in Redis {redis}", limit.Token, cancel);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                waited += JoinLimit;
                var next = JoinAdvice.Next(redis, await RedisCluster.MembersAsync(redis, cancel), DateTime.UtcNow, waited);
                if (!next.Again) throw new InputException($"--redis: {next.Say}");
                if (next.Say is { } note && !told)
                {
                    Console.Error.WriteLine($"note: {note}");
                    told = true;
                }
            }
            catch (Exception e) when (e is OrleansException or RedisException or SocketException or TimeoutException)
            {
                throw new InputException($"--redis: could not join the cluster kept in {redis}: {e.Message}");
            }
        }
    }

    /// <summary>Joins a cluster: <paramref name="gateways"/> is <see cref="LocalCluster"/> or HOST:PORT,...</summary>
    public static async Task<GrainConnection> ClusterAsync(string gateways, CancellationToken cancel)
    {
        var endpoints = gateways == LocalCluster ? await PrimaryAsync(cancel) : await ListeningAsync(Parse(gateways), cancel);
        string named = string.Join(", ", endpoints.Select(x => x.ToString()));
        var builder = NewBuilder();
        builder.UseOrleansClient(c => GatewayWatch.Add(c
            .UseStaticClustering(endpoints)
            .AddActivityPropagation()
            .Configure<ClusterOptions>(o =>
            {
                o.ServiceId = Grains.Hosting.LocalCluster.ServiceId;
                o.ClusterId = Grains.Hosting.LocalCluster.ClusterId;
            })));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(JoinLimit);
        try
        {
            var connection = await StartAsync(builder.Build, $"the cluster at {named}", limit.Token, cancel);
            return await connection.NamedByMembershipAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            // A secondary whose primary is gone may not answer either: said first, where it is so, the join's failure.
            string gone = await PrimaryGoneAsync(endpoints, cancel) is { } primary ? $"{primary}; or " : "";
            throw new InputException($"--cluster: the gateways at {named} accept connections but no cluster answered within {JoinLimit.TotalSeconds:0} s "
                + $"({gone}silos started with --redis form cluster '{Grains.Hosting.RedisCluster.ClusterId}' and turn away this one's, '{Grains.Hosting.LocalCluster.ClusterId}': join them with --redis HOST:PORT)");
        }
        catch (Exception e) when (e is OrleansException or SocketException or TimeoutException)
        {
            // Orleans' message for a call that could not reach a silo carries a stack trace: its first line says what failed.
            throw new InputException($"--cluster: could not join the cluster at {named}: {await PrimaryGoneAsync(endpoints, cancel) ?? e.Message.Split('\n')[0].TrimEnd()}");
        }
    }

    /// <summary>
    /// Why a join failed when it went through a local secondary's gateway (instance 1 or later, at this client's port
    /// offset) and the primary is not running: a secondary's gateway still accepts a client once the primary is gone, but
    /// the cluster does not outlive it. Null otherwise: a Redis silo's gateway, a silent listener or a cluster at another
    /// offset is not that.
    /// </summary>
    static async Task<string?> PrimaryGoneAsync(IPEndPoint[] gateways, CancellationToken cancel)
    {
        if (Grains.Hosting.LocalCluster.PortOffsetProblem is not null) return null;
        int first = Grains.Hosting.LocalCluster.GatewayPort(1), last = Grains.Hosting.LocalCluster.GatewayPort(Grains.Hosting.LocalCluster.MaxInstances - 1);
        if (!gateways.Any(g => IPAddress.IsLoopback(g.Address) && g.Port >= first && g.Port <= last)) return null;
        var primary = new IPEndPoint(IPAddress.Loopback, Grains.Hosting.LocalCluster.GatewayPort(0));
        return gateways.Contains(primary) || await Listening.AtAsync(primary, cancel) ? null
            : $"no primary silo (instance 0) answers on {primary}, and a local cluster does not outlive it: start its silos again, instance 0 first";
    }

    static HostApplicationBuilder NewBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // Standard output belongs to the command (tables, --json -): logs go to standard error.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true)
            .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        var mutes = new Mutes();
        builder.Logging.Quiet("client", line => Console.Error.WriteLine($"note: {line}"), () => mutes.Teardown);
        // The host logs a failed start with its stack trace (a cluster that never answered: a cancellation), then throws
        // it, which the caller says in one line; this category's rule replaces Quiet's, so it keeps the teardown's mute.
        builder.Services.Configure<LoggerFilterOptions>(o =>
            o.Rules.Add(new LoggerFilterRule(null, "Microsoft.Extensions.Hosting", LogLevel.Warning, (_, _, _) => !mutes.Teardown && !mutes.Start)));
        builder.Services.AddSingleton(mutes);
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        return builder;
    }

    sealed class Mutes
    {
        /// <summary>
        /// Set when the host is torn down at once after the user's stop: what it logs then (grains deactivated midway,
        /// storage gone, a cancelled lifecycle) is about a process that is ending, after the partial result was printed.
        /// </summary>
        public volatile bool Teardown;

        /// <summary>Set while the host starts: the host's own failure to start is thrown to the caller.</summary>
        public volatile bool Start;
    }

    /// <summary>
    /// Builds and starts the host within <paramref name="limit"/>, off the caller's thread: building a silo's host and the
    /// part of its start that runs before its first wait took 1.8 s on two busy cores, which a stop waited for. A stop
    /// request during either returns at once and leaves the start to finish on its own, then stops the host: cancelling a
    /// silo's start midway logs its stack traces (and throws a lifecycle exception, not a cancellation) for a user who only
    /// asked to stop.
    /// </summary>
    static async Task<GrainConnection> StartAsync(Func<IHost> build, string where, CancellationToken limit, CancellationToken stop)
    {
        var start = Task.Run(async () =>
        {
            var host = build();
            var mutes = host.Services.GetRequiredService<Mutes>();
            mutes.Start = true;
            try { await host.StartAsync(limit); }
            catch
            {
                host.Dispose();
                throw;
            }
            mutes.Start = false;
            return host;
        });
        try
        {
            return new GrainConnection(await start.WaitAsync(stop), where, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !start.IsCompleted)
        {
            _ = AbandonAsync(start);
            throw;
        }
    }

    static async Task AbandonAsync(Task<IHost> start)
    {
        IHost host;
        try { host = await start; }
        catch (Exception)
        {
            // A start that failed has disposed its host, and nobody waits for it any more to be told.
            return;
        }
        // What the host logs as it is torn down ("lifecycle stop operations canceled") is about a process that is ending.
        host.Services.GetRequiredService<Mutes>().Teardown = true;
        try { await host.StopAsync(new CancellationToken(canceled: true)); }
        catch (Exception)
        {
            // Nobody waits for this host any more: a failed stop has nobody to tell.
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>
    /// The gateway of instance 0, the primary: it holds the membership table, so no cluster runs without it, and one
    /// gateway reaches every silo. The other instances' ports are not probed: any process may listen on one of them
    /// (ports bound to 0 land there), and a client given such a gateway never started (seen in CI).
    /// </summary>
    static async Task<IPEndPoint[]> PrimaryAsync(CancellationToken cancel)
    {
        if (Grains.Hosting.LocalCluster.PortOffsetProblem is { } offset) throw new InputException(offset);
        var primary = new IPEndPoint(IPAddress.Loopback, Grains.Hosting.LocalCluster.GatewayPort(0));
        return await Listening.AtAsync(primary, cancel)
            ? [primary]
            : throw new InputException($"--cluster: no primary silo (instance 0) answers on {primary}; " +
                                       "start one with: dotnet run --project silo -c Release -- --instance 0");
    }

    /// <summary>
    /// This connection, named by the gateways of the silos the cluster's membership lists as active; the question counts
    /// against the join's time limit (<paramref name="limit"/>), as the start does.
    /// </summary>
    async Task<GrainConnection> NamedByMembershipAsync(CancellationToken limit)
    {
        try
        {
            var silos = await Client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true).WaitAsync(limit);
            var gateways = silos.Select(s => new IPEndPoint(s.SiloAddress.Endpoint.Address, s.ProxyPort))
                .OrderBy(e => e.Address.ToString(), StringComparer.Ordinal).ThenBy(e => e.Port);
            return new GrainConnection(_host, $"the cluster at {string.Join(", ", gateways)}", _stop);
        }
        catch
        {
            // A cluster that does not answer may not let a graceful stop finish either: stop at once, as a start given up does,
            // and as quietly: the caller says what failed ("lifecycle stop operations canceled" said only that it stopped).
            _host.Services.GetRequiredService<Mutes>().Teardown = true;
            await _host.StopAsync(new CancellationToken(canceled: true));
            _host.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The named gateways that accept a connection. With none, the client would retry for minutes and log
    /// a stack trace per try; one line saying so is the useful answer.
    /// </summary>
    static async Task<IPEndPoint[]> ListeningAsync(IPEndPoint[] gateways, CancellationToken cancel)
    {
        var open = await Task.WhenAll(gateways.Select(e => Listening.AtAsync(e, cancel)));
        return open.Any(o => o)
            ? gateways
            : throw new InputException($"--cluster: nothing listens at {string.Join(", ", gateways.Select(g => g.ToString()))}; " +
                                       "is the silo running? (dotnet run --project silo -c Release -- --instance 0)");
    }

    static IPEndPoint[] Parse(string gateways)
    {
        var list = gateways.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseGateway).ToArray();
        return list.Length > 0 ? list : throw new InputException("--cluster: no gateway given");
    }

    static IPEndPoint ParseGateway(string gateway)
    {
        const string localhost = "localhost:";
        string g = gateway.StartsWith(localhost, StringComparison.OrdinalIgnoreCase) ? "127.0.0.1:" + gateway[localhost.Length..] : gateway;
        return IPEndPoint.TryParse(g, out var e) && e.Port > 0
            ? e
            : throw new InputException($"--cluster: '{gateway}' is not HOST:PORT (an IP address or localhost, and a port)");
    }

    /// <summary>
    /// Stops the host: gracefully, unless the user asked to stop, who has the partial result already and waits
    /// only for the process to end. Then the host stops at once and quietly (a cancelled token: no grain
    /// deactivation, no membership update, which an embedded silo takes with it anyway); the work was cancelled
    /// first, so no grain is left busy either way. A graceful stop of the embedded silo took 0.1 to over 1 s on two
    /// busy cores.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        if (_stop.IsCancellationRequested)
        {
            _host.Services.GetRequiredService<Mutes>().Teardown = true;
            grace.Cancel();
        }
        try { await _host.StopAsync(grace.Token); }
        finally { _host.Dispose(); }
    }
}
