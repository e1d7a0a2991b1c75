using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmmuActors.Grains.Campaign;
using SmmuActors.Grains.Hosting;
using SmmuActors.Telemetry;

InvariantNumbers.Use();
var instance = new Option<int>("--instance", "-i")
{
    Description = $"which silo of the local cluster this is (0 to {LocalCluster.MaxInstances - 1}); 0 is the primary and must start first. " +
                  $"Ports: silo 11111+N, gateway 30000+N on 127.0.0.1, both shifted by ${LocalCluster.PortOffsetVariable} if set. " +
                  "With --redis it only names the silo",
    DefaultValueFactory = _ => 0,
};
var redis = new Option<string?>("--redis")
{
    Description = $"join the cluster kept in this Redis server (HOST:PORT; default ${RedisEndpoint.Variable}): no primary, free ports",
};
var address = new Option<string?>("--address")
{
    Description = "with --redis: the IP address to listen on and advertise (default 127.0.0.1)",
};
var dashboard = new Option<int?>("--dashboard")
{
    Description = "serve the Orleans Dashboard (silos, grains, calls) on http://127.0.0.1:PORT; it has no login, so it stays on loopback",
};
var retention = new Option<double?>("--campaign-retention")
{
    CustomParser = r => InvariantNumbers.Decimal(r),
    Description = $"days a finished campaign stays listed by 'campaigns', its record kept, before the silos forget it " +
                  $"(default {CampaignRetention.Default.TotalDays:0}); 'campaign forget ID' drops one sooner",
    HelpName = "DAYS",
};
var root = new RootCommand("SmmuActors silo: one member of the local cluster on loopback, or of a Redis cluster; stop it with Ctrl+C or SIGTERM")
{
    instance, redis, address, dashboard, retention,
};
var parsed = root.Parse(args);
// Ranges checked only once the values parsed: a validator would be asked for the value of "--instance one" too.
var errors = parsed.Errors.Select(e => ParseMessages.Plain(e.Message)).ToList();
string? redisEndpoint = parsed.GetValue(redis) ?? RedisEndpoint.FromEnvironment;
IPAddress listen = IPAddress.Loopback;
if (errors.Count == 0)
{
    int n = parsed.GetValue(instance);
    if (n < 0 || n >= LocalCluster.MaxInstances) errors.Add($"--instance: {n} is not in 0..{LocalCluster.MaxInstances - 1}");
    // A Redis silo takes free ports and never reads the offset.
    if (redisEndpoint is null && LocalCluster.PortOffsetProblem is { } offset) errors.Add(offset);
    if (redisEndpoint is not null && RedisEndpoint.Problem(redisEndpoint) is { } problem) errors.Add($"--redis: {problem}");
    if (parsed.GetValue(dashboard) is { } d)
    {
        if (d is < 1 or > 65535) errors.Add($"--dashboard: {d} is not a port (1 to 65535)");
        // Free now, but the silo's own listeners take it first: the dashboard then failed to bind, with stack traces.
        else if (redisEndpoint is null && n is >= 0 and < LocalCluster.MaxInstances && LocalCluster.PortOffsetProblem is null && (d == LocalCluster.SiloPort(n) || d == LocalCluster.GatewayPort(n)))
            errors.Add($"--dashboard {d}: silo {n}'s own {(d == LocalCluster.SiloPort(n) ? "silo" : "gateway")} port; give the dashboard another");
        else if (Ports.Unbindable(new IPEndPoint(IPAddress.Loopback, d)) is { } why) errors.Add($"--dashboard {d}: cannot listen on 127.0.0.1:{d} ({why})");
    }
    if (TelemetryOptions.FromEnvironment("smmu-actors-silo").OtlpProblem is { } otlp) errors.Add(otlp);
    if (parsed.GetValue(retention) is { } days && days is not (> 0 and <= 3650)) errors.Add($"--campaign-retention: {days} is not a number of days above 0 and at most 3650");
    if (parsed.GetValue(address) is { } a)
    {
        if (redisEndpoint is null) errors.Add("--address: only with --redis; the local cluster listens on 127.0.0.1");
        else if (!IPAddress.TryParse(a, out listen!)) errors.Add($"--address: '{a}' is not an IP address");
        // Bindable, but Orleans refuses to advertise them (an unhandled exception, exit 1): the others could not reach it there.
        else if (listen.Equals(IPAddress.Any) || listen.Equals(IPAddress.IPv6Any) || listen.Equals(IPAddress.Broadcast))
            errors.Add($"--address {a}: a wildcard or broadcast address; the silo tells the others this address to reach it, so give one address of this host");
        else if (Ports.Unbindable(new IPEndPoint(listen, 0)) is { } why) errors.Add($"--address {a}: not an address of this host ({why})");
    }
}
if (errors.Count > 0)
{
    // Bad input: the reason and exit code 2, as the client does.
    foreach (var e in errors) Console.Error.WriteLine($"error: {e}");
    return 2;
}
root.SetAction(async (pr, cancel) => await RunSilo(pr.GetValue(instance), redisEndpoint, listen, pr.GetValue(dashboard), pr.GetValue(retention), cancel));
return await parsed.InvokeAsync();

static async Task<int> RunSilo(int n, string? redis, IPAddress listen, int? dashboard, double? retentionDays, CancellationToken cancel)
{
    IHostApplicationBuilder builder;
    if (dashboard is { } port)
    {
        var web = WebApplication.CreateSlimBuilder();
        web.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder = web;
    }
    else builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).Quiet($"silo-{n}", line => Console.WriteLine($"silo {n}: {line}"));
    var telemetry = TelemetryOptions.FromEnvironment($"smmu-actors-silo-{n}");
    builder.Services.AddSmmuTelemetry(telemetry);
    // A graceful stop takes well under a second; past this Orleans stops ungracefully, cutting deactivations short.
    var gracefulStop = TimeSpan.FromSeconds(10);
    var stopLimit = gracefulStop + TimeSpan.FromSeconds(5);
    builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = gracefulStop);
    int siloPort = redis is null ? LocalCluster.SiloPort(n) : FreePort.On(listen);
    int gatewayPort = redis is null ? LocalCluster.GatewayPort(n) : FreePort.On(listen);
    builder.UseOrleans(silo =>
    {
        if (redis is null)
            silo.UseLocalhostClustering(siloPort, gatewayPort, n == 0 ? null : LocalCluster.Primary, LocalCluster.ServiceId, LocalCluster.ClusterId)
                .AddMemoryCampaignStorage();
        else
            silo.UseRedisCluster(redis).ConfigureEndpoints(listen, siloPort, gatewayPort, listenOnAnyHostAddress: false);
        silo.Configure<SiloOptions>(o => o.SiloName = SiloNames.Instance(n));
        silo.AddSmmuActors(propagateTraces: telemetry.Enabled);
        if (retentionDays is { } days) silo.Configure<CampaignRetention>(o => o.After = TimeSpan.FromDays(days));
        // Every silo collects the dashboard's statistics, so the one serving it shows the whole cluster.
        silo.AddDashboard();
    });
    // Disposed after the host, so the limit below covers its disposal too.
    using var pastStopLimit = new CancellationTokenSource();
    using var host = Build(builder);
    // Orleans' stop records the silo's leave in the membership table; with Redis gone it retried each write for up to a
    // minute, past the host's ShutdownTimeout, and SIGTERM took one and a half to two minutes (a secondary whose primary
    // is gone fails those writes at once). Past the graceful stop and the ungraceful one's margin, the silo exits without
    // the leave recorded, as a killed one would; the others declare it dead by their probes.
    string why = redis is null ? "." : $": Orleans is still trying to record its leave in the cluster's membership table, in Redis {redis}; is that reachable?";
    host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => pastStopLimit.CancelAfter(stopLimit));
    pastStopLimit.Token.Register(() =>
    {
        Console.Error.WriteLine($"error: silo {n} did not stop within {stopLimit.TotalSeconds:0} s{why} It exits without leaving the cluster cleanly; " +
                                "the other silos find it gone as they do a killed silo");
        Environment.Exit(1);
    });
    // The local cluster's ports are fixed: a silo already on them would share them with this one (see Ports). A Redis
    // silo's are free ones.
    IPEndPoint[] fixedPorts = redis is null ? [new(listen, siloPort), new(listen, gatewayPort)] : [];
    using var claims = Ports.Claim(fixedPorts, out var elsewhere);
    if (elsewhere is not null)
    {
        Console.Error.WriteLine($"error: --instance {n}: silo {n} is already running ({elsewhere} is claimed by another silo process); stop it first or pick another --instance");
        return 2;
    }
    if (await AnyListening(fixedPorts, cancel) is { } taken)
    {
        Console.Error.WriteLine($"error: --instance {n}: {taken} already accepts connections (another program, or a silo {n} that holds no claim to it, " +
                                $"another user's or an older build's); stop it, or pick another --instance or ${LocalCluster.PortOffsetVariable}");
        return 2;
    }
    if (redis is null && n > 0 && !await Patiently(c => Listening.AtAsync(LocalCluster.Primary, c), cancel))
    {
        Console.Error.WriteLine($"error: silo 0, the primary, is not running (nothing listens on {LocalCluster.Primary}); " +
                                "start instance 0 first: dotnet run --project silo -c Release -- --instance 0");
        return 2;
    }
    if (redis is not null && !await Patiently(c => Listening.AtRedisAsync(redis, c), cancel))
    {
        Console.Error.WriteLine($"error: --redis: nothing listens at {redis}; start redis-server there first");
        return 2;
    }
    if (redis is not null && !await RedisCluster.AnswersAsync(redis, cancel))
    {
        Console.Error.WriteLine($"error: --redis: {RedisCluster.Silent(redis)}");
        return 2;
    }
    await host.StartAsync(cancel);
    // Tests and bench-cluster wait for this line before they connect.
    if (dashboard is { } p) Console.WriteLine($"silo {n} dashboard: http://127.0.0.1:{p}/");
    string role = redis is null ? n == 0 ? " (primary)" : "" : $" (cluster in Redis {redis})";
    Console.WriteLine($"silo {n} ready: silo {listen}:{siloPort}, gateway {listen}:{gatewayPort}{role}");
    var stopped = host.WaitForShutdownAsync(cancel);
    if (host.Services.GetService<MembershipTableWatch>() is { } watch && await Task.WhenAny(stopped, watch.Lost) == watch.Lost)
    {
        Console.Error.WriteLine($"error: {watch.Lost.Result}");
        Environment.Exit(1);
    }
    await stopped;
    Console.WriteLine($"silo {n} stopped");
    return 0;
}

// A secondary joins through the primary's membership table, without which Orleans retries for ever; a Redis silo
// through Redis, without which it fails with a stack trace per retry. Each is given a while, for a cluster whose
// parts are all started at once.
static async Task<bool> Patiently(Func<CancellationToken, Task<bool>> answers, CancellationToken cancel)
{
    var patience = Stopwatch.StartNew();
    while (patience.Elapsed < TimeSpan.FromSeconds(15))
    {
        if (await answers(cancel)) return true;
        await Task.Delay(500, cancel);
    }
    return false;
}

// The claims keep out a silo started at the same moment, which this check alone would let through; the check, one that
// holds no claim (an older build, another user's) or another program on the port.
static async Task<IPEndPoint?> AnyListening(IPEndPoint[] endpoints, CancellationToken cancel)
{
    foreach (var endpoint in endpoints)
        if (await Listening.AtAsync(endpoint, cancel)) return endpoint;
    return null;
}

static IHost Build(IHostApplicationBuilder builder)
{
    if (builder is HostApplicationBuilder plain) return plain.Build();
    var app = ((WebApplicationBuilder)builder).Build();
    app.MapOrleansDashboard();
    return app;
}
