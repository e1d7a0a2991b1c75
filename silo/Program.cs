using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmmuActors.Grains.Hosting;
using SmmuActors.Telemetry;

var instance = new Option<int>("--instance", "-i")
{
    Description = $"which silo of the local cluster this is (0 to {LocalCluster.MaxInstances - 1}); 0 is the primary and must start first. " +
                  $"Ports: silo 11111+N, gateway 30000+N on 127.0.0.1, both shifted by ${LocalCluster.PortOffsetVariable} if set",
    DefaultValueFactory = _ => 0,
};
var root = new RootCommand("SmmuActors silo: one member of the local cluster on loopback; stop it with Ctrl+C or SIGTERM") { instance };
root.SetAction(async (pr, cancel) => await RunSilo(pr.GetValue(instance), cancel));
var parsed = root.Parse(args);
// Range checked only once the value parsed: a validator would be asked for the value of "--instance one" too.
var errors = parsed.Errors.Select(e => e.Message).ToList();
if (errors.Count == 0 && parsed.GetValue(instance) is var n && (n < 0 || n >= LocalCluster.MaxInstances))
    errors.Add($"--instance: {n} is not in 0..{LocalCluster.MaxInstances - 1}");
if (errors.Count > 0)
{
    // Bad input: the reason and exit code 2, as the client does.
    foreach (var e in errors) Console.Error.WriteLine($"error: {e}");
    return 2;
}
return await parsed.InvokeAsync();

static async Task<int> RunSilo(int n, CancellationToken cancel)
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Logging.AddSimpleConsole(o => o.SingleLine = true).Quiet();
    builder.Services.AddSmmuTelemetry(TelemetryOptions.FromEnvironment($"smmu-actors-silo-{n}"));
    builder.UseOrleans(silo => silo
        .UseLocalhostClustering(LocalCluster.SiloPort(n), LocalCluster.GatewayPort(n),
            n == 0 ? null : LocalCluster.Primary, LocalCluster.ServiceId, LocalCluster.ClusterId)
        .AddSmmuActors());
    using var host = builder.Build();
    await host.StartAsync(cancel);
    // Tests and bench-cluster wait for this line before they connect.
    Console.WriteLine($"silo {n} ready: silo 127.0.0.1:{LocalCluster.SiloPort(n)}, gateway 127.0.0.1:{LocalCluster.GatewayPort(n)}{(n == 0 ? " (primary)" : "")}");
    await host.WaitForShutdownAsync(cancel);
    Console.WriteLine($"silo {n} stopped");
    return 0;
}
