using System.Net;
using SmmuActors.Client.Engines;
using SmmuActors.Grains.Hosting;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Grains;

/// <summary>The Orleans Dashboard a silo serves with --dashboard, as a browser shows it: the cluster's silos and the grains a campaign used.</summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class DashboardTests
{
    [Fact]
    public async Task The_dashboard_shows_every_silo_and_the_campaigns_grains()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var redis = await RedisServer.StartAsync();
        int port = FreePort.On(IPAddress.Loopback);
        string output = Path.Combine(Path.GetTempPath(), $"smmu-dashboard-{Environment.ProcessId}");
        // One after the other: a Redis silo takes free ports, and started beside the first it once took the dashboard's
        // port, free again since it was found, before the first silo bound it. And a silo that started is stopped even when
        // the other does not.
        var silos = new List<GrainSiloProcess> { await GrainSiloProcess.StartRedisAsync(0, redis.Endpoint, timeout.Token, "--dashboard", port.ToString()) };
        try
        {
            silos.Add(await GrainSiloProcess.StartRedisAsync(1, redis.Endpoint, timeout.Token));
            var explore = await CliProcess.RunAsync(timeout.Token, "explore", "--workload", TestPaths.Scenario("pm-cycles.json"), "--runs", "500",
                "--redis", redis.Endpoint, "--out", output);
            Assert.True(explore.ExitCode == 1, explore.ToString());

            string siloPage = await HeadlessChromium.RenderedTextAsync($"http://127.0.0.1:{port}/#/silos", t => t.Contains("Active Silos"), timeout.Token);
            Assert.Contains("Active Silos 2", siloPage);
            foreach (var s in silos) Assert.Matches($@"{s.SiloEndpoint.Replace(".", @"\.")}@\d+ Active", siloPage);

            string grainPage = await HeadlessChromium.RenderedTextAsync($"http://127.0.0.1:{port}/#/grains", t => t.Contains("CampaignIndexGrain"), timeout.Token);
            Assert.Contains("CampaignIndexGrain", grainPage);
            Assert.Contains("InvestigationGrain", grainPage);
        }
        finally
        {
            foreach (var s in silos) s.Dispose();
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}
