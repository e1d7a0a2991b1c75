using System.Text.Json;
using SmmuActors.Client;
using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// `campaign results` of a campaign that was not shrunk in the cluster. A campaign submitted without --detach is shrunk
/// by its submitter, so one whose submitter lost its gateway (or was killed) before that had its kinds and counts but no
/// counterexample, and --out stayed empty with a note. Its witnesses are in the result: results now shrinks them itself,
/// to the counterexamples explore would have saved.
/// </summary>
[Collection("cli")]
[Trait("Suite", "Cli")]
public sealed class CampaignResultsTests(StopTests.Cluster cluster) : IDisposable, IClassFixture<StopTests.Cluster>
{
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-results-").FullName;

    [Fact]
    public async Task A_campaign_its_submitter_left_before_shrinking_is_shrunk_by_results()
    {
        const ulong seed = 7;
        const long runs = 3000;
        var model = Scenarios.Shipped("reviewer-race.json", "as-posted");
        var id = Guid.NewGuid();
        // What explore without --detach submits; the submitter, which would shrink it, is gone once it has.
        await using (var connection = await GrainConnection.ClusterAsync(cluster.Silo.Gateway, CancellationToken.None))
        {
            var campaign = connection.Client.GetGrain<ICampaignGrain>(id);
            await campaign.Start(new CampaignSpec(ScenarioSpec.From(model, TestPaths.Scenario("reviewer-race.json")), seed, runs));
            Assert.True((await campaign.Poll(TimeSpan.FromMinutes(2))).Finished, "3,000 runs did not finish within 2 minutes");
            Assert.Empty(await campaign.Counterexamples());
        }

        string cx = Path.Combine(_dir, "cx"), json = Path.Combine(_dir, "results.json");
        using (var results = new ConsoleCapture(columns: "400"))
        {
            Assert.Equal(1, await CliApp.RunAsync(["campaign", "results", id.ToString("N"), "--cluster", cluster.Silo.Gateway, "--out", cx, "--json", json]));
            Assert.Contains("; its submitter, which shrinks it, left first)...", results.Err);
        }
        var kinds = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("violationsByKind").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.NotEmpty(kinds);
        var saved = Directory.GetFiles(cx, "*.json").Select(Counterexample.Load).OrderBy(c => c.Kind).ToList();
        Assert.Equal(kinds, saved.Select(c => c.Kind));

        // The same counterexamples as the local engine's campaign shrunk in this process, as explore shrinks them.
        var local = Explorer.Random(model, seed, runs, 1, null, CancellationToken.None);
        foreach (var c in saved)
        {
            var witness = local.Witnesses.Single(w => Model.Sim.Naming.Kebab(w.Key) == c.Kind).Value;
            var expected = Investigation.Investigate(model, TestPaths.Scenario("reviewer-race.json"), StrategyKind.Random, seed, witness, CancellationToken.None);
            Assert.Equal(expected.TraceHash, c.TraceHash);
            Assert.Equal(expected.Steps, c.Steps);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
