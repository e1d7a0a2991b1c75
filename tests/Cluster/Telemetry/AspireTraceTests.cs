using System.Text.Json;
using System.Text.RegularExpressions;
using SmmuActors.Client.Engines;
using SmmuActors.Telemetry;
using SmmuActors.Tests.Grains;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Telemetry;

/// <summary>
/// docs/observability.md's recipe, done: a traced replay sent over OTLP to the .NET Aspire dashboard,
/// and its spans read back through the dashboard's telemetry API under the replay's trace id: the command's
/// span and the scenario's deliveries in one trace, on the local engine, on the embedded silo (where the
/// scenario's spans are made in a grain) and on a silo process that exports its own spans.
/// </summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class AspireTraceTests
{
    const string Client = "smmu-actors", Silo = "smmu-actors-silo-0";

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
            string file = await CounterexampleAsync(dir, timeout.Token);
            var replay = await CliProcess.RunAsync(timeout.Token, "replay", file, "--engine", engine, "--trace", "--otlp", dashboard.OtlpEndpoint);
            Assert.True(replay.ExitCode == 1, replay.ToString());
            string traceId = TraceId(replay);

            // The replay exported before it exited; the dashboard stores spans as they arrive.
            var spans = await SpansAsync(dashboard, traceId, timeout.Token);
            Assert.Contains(new Span(Client, "smmu-actors replay"), spans);
            Assert.True(spans.Count > 10, $"{spans.Count} spans: the replay's deliveries are missing");
            // Every span under the service that sent it (they came as "unknown_service" when the exporter was wrapped).
            Assert.All(spans, s => Assert.Equal(Client, s.Service));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The client's command span and the silo process's scenario, delivery and grain-call spans, each process exporting
    /// its own to the dashboard under its own service name, are one trace: the context crosses the process boundary
    /// with the grain call. The silo records Orleans' spans and the client does not, so the
    /// silo's span of the call starts a trace of its own, unsampled: the scenario used to go under it and was dropped.
    /// </summary>
    [Fact]
    public async Task A_traced_replay_on_a_silo_process_is_one_trace_across_the_two_processes()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string dir = Directory.CreateTempSubdirectory("smmu-aspire-").FullName;
        using var dashboard = await AspireDashboard.StartAsync(timeout.Token);
        using var silo = await GrainSiloProcess.StartAsync(0, GrainSiloProcess.FreePortOffset(1), timeout.Token,
            new Dictionary<string, string> { [TelemetryOptions.OtlpEnvironment] = dashboard.OtlpEndpoint });
        try
        {
            string file = await CounterexampleAsync(dir, timeout.Token);
            var replay = await CliProcess.RunAsync(timeout.Token, "replay", file, "--engine", "grains", "--cluster", silo.Gateway,
                "--trace", "--otlp", dashboard.OtlpEndpoint);
            Assert.True(replay.ExitCode == 1, replay.ToString());
            string traceId = TraceId(replay);

            // The silo exports in batches, every few seconds: wait for its spans.
            var patience = System.Diagnostics.Stopwatch.StartNew();
            List<Span> spans;
            do
            {
                await Task.Delay(500, timeout.Token);
                spans = await SpansAsync(dashboard, traceId, timeout.Token);
            }
            while (!spans.Any(s => s.Name.StartsWith("scenario ")) && patience.Elapsed < TimeSpan.FromSeconds(30));
            Assert.True(spans.Any(s => s.Name.StartsWith("scenario ")), $"no scenario span in trace {traceId}: {string.Join(", ", spans)}");
            Assert.Contains(new Span(Client, "smmu-actors replay"), spans);
            Assert.Contains(spans, s => s.Name.StartsWith("scenario ") && s.Service == Silo);
            Assert.Contains(new Span(Silo, "IComponentGrain/Deliver"), spans);
            Assert.True(spans.Count(s => s.Name.Contains(" -> ") && s.Service == Silo) > 10, $"{spans.Count} spans: the replay's deliveries are missing");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A counterexample of a short pm-cycles campaign: any of them replays to a violation.</summary>
    static async Task<string> CounterexampleAsync(string dir, CancellationToken cancel)
    {
        var explore = await CliProcess.RunAsync(cancel, "explore", "--engine", "local", "--workload", TestPaths.Scenario("pm-cycles.json"),
            "--runs", "400", "--seed", "31", "--out", dir);
        Assert.True(explore.ExitCode == 1, explore.ToString());
        return Directory.GetFiles(dir, "*.json").Order().First();
    }

    static string TraceId(CliProcess.Result replay)
    {
        string traceId = Regex.Match(replay.Output, "trace id ([0-9a-f]{32})").Groups[1].Value;
        Assert.True(traceId.Length == 32, replay.ToString());
        return traceId;
    }

    sealed record Span(string Service, string Name);

    /// <summary>The spans the dashboard holds under <paramref name="traceId"/>, each with the service that sent it; every one in that trace.</summary>
    static async Task<List<Span>> SpansAsync(AspireDashboard dashboard, string traceId, CancellationToken cancel)
    {
        using var trace = JsonDocument.Parse(await dashboard.Api.GetStringAsync($"/api/telemetry/traces/{traceId}", cancel));
        var spans = new List<Span>();
        foreach (var resource in trace.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            string service = resource.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .Single(a => a.GetProperty("key").GetString() == "service.name").GetProperty("value").GetProperty("stringValue").GetString()!;
            foreach (var span in resource.GetProperty("scopeSpans").EnumerateArray().SelectMany(s => s.GetProperty("spans").EnumerateArray()))
            {
                Assert.Equal(traceId, span.GetProperty("traceId").GetString());
                spans.Add(new Span(service, span.GetProperty("name").GetString()!));
            }
        }
        return spans;
    }
}
