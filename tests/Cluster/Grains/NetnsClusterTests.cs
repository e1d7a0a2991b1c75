using System.Diagnostics;
using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Tests.Support;
using Xunit.Abstractions;

namespace SmmuActors.Tests.Grains;

/// <summary>
/// Several hosts on one machine: redis-server and two silo processes each in a network namespace of its own
/// on a private bridge (scripts/netns-cluster.sh), every silo bound to its own address; a client in this
/// namespace finds them through Redis and runs a campaign, which must equal the local engine's result.
/// Needs root (CI runs as root); without it the test fails with the reason.
/// </summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class NetnsClusterTests(ITestOutputHelper output)
{
    const string Workload = "pm-cycles.json";
    const ulong Seed = 47;
    const long Runs = 2000;

    [Fact]
    public async Task A_campaign_over_silos_in_separate_network_namespaces_equals_the_local_result()
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var cluster = await NetnsCluster.UpAsync(hosts: 2);
        output.WriteLine(cluster.Made);
        var silos = await Task.WhenAll(cluster.Hosts.Select((_, i) => cluster.StartSiloAsync(i, i, timeout.Token)));
        for (int i = 0; i < silos.Length; i++)
            Assert.StartsWith($"{cluster.Hosts[i].Address}:", silos[i].SiloEndpoint);
        output.WriteLine($"silos ready at {string.Join(", ", silos.Select(s => s.SiloEndpoint))} after {clock.Elapsed.TotalSeconds:F1} s");

        await using var connection = await GrainConnection.RedisAsync(cluster.Redis, timeout.Token);
        var spec = new CampaignSpec(GrainScenarios.Spec(Workload), Seed, Runs, Lanes: 4, BatchSize: 50);
        var final = await GrainCampaignRunner.RunAsync(connection.Client, spec, null, null, timeout.Token);
        output.WriteLine($"{final.Batches} batches; by silo: {string.Join(", ", final.BatchesBySilo)}; {clock.Elapsed.TotalSeconds:F1} s in all");

        Assert.True(final.Finished);
        Assert.Null(final.Error);
        Assert.Equal(Runs, final.Done);
        Assert.Equal(final.Batches, final.BatchesBySilo.Values.Sum());
        // Each silo is named by the endpoint it printed and its --instance: every batch ran on one of ours, and both had some.
        for (int i = 0; i < silos.Length; i++)
            Assert.True(final.BatchesBySilo.GetValueOrDefault($"{silos[i].SiloEndpoint} (silo {i})") > 0, string.Join(", ", final.BatchesBySilo));
        Assert.Equal(silos.Length, final.BatchesBySilo.Count);
        GrainScenarios.AssertSame(GrainScenarios.Local(spec.Scenario, Seed, Runs), final.Result!);
    }
}
