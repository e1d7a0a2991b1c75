using System.Text.Json;
using System.Text.RegularExpressions;
using SmmuActors.Tests.Grains;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Telemetry;

/// <summary>
/// docs/observability.md's recipe, done: a traced replay sent over OTLP to the .NET Aspire dashboard,
/// and its spans read back through the dashboard's telemetry API under the replay's trace id: the command's
/// span and the scenario's deliveries in one trace, on the local engine and on the embedded silo (where the
/// scenario's spans are made in a grain).
/// </summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class AspireTraceTests
{
    [Theory]
    [InlineData("local")]
    [InlineData("grains")]
    public async Task A_traced_replay_shows_up_in_the_Aspire_dashboard(string engine)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string dir = Directory.CreateTempSubdirectory("smmu-aspire-").FullName;
        using var dashboard = await AspireDashboard.StartAsync(timeout.Token);
        try
        {
            var explore = await CliProcess.RunAsync(timeout.Token, "explore", "--engine", "local", "--workload", TestPaths.Scenario("pm-cycles.json"),
                "--runs", "400", "--seed", "31", "--out", dir);
            Assert.True(explore.ExitCode == 1, explore.ToString());
            // Any of the campaign's counterexamples will do: each replays to a violation.
            string file = Directory.GetFiles(dir, "*.json").Order().First();

            var replay = await CliProcess.RunAsync(timeout.Token, "replay", file, "--engine", engine, "--trace", "--otlp", dashboard.OtlpEndpoint);
            Assert.True(replay.ExitCode == 1, replay.ToString());
            string traceId = Regex.Match(replay.Output, "trace id ([0-9a-f]{32})").Groups[1].Value;
            Assert.True(traceId.Length == 32, replay.ToString());

            // The replay exported before it exited; the dashboard stores spans as they arrive.
            using var trace = JsonDocument.Parse(await dashboard.Api.GetStringAsync($"/api/telemetry/traces/{traceId}", timeout.Token));
            var spans = trace.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray()
                .SelectMany(r => r.GetProperty("scopeSpans").EnumerateArray())
                .SelectMany(s => s.GetProperty("spans").EnumerateArray())
                .ToList();
            Assert.Contains(spans, s => s.GetProperty("name").GetString() == "smmu-actors replay");
            Assert.True(spans.Count > 10, $"{spans.Count} spans: the replay's deliveries are missing");
            Assert.All(spans, s => Assert.Equal(traceId, s.GetProperty("traceId").GetString()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
