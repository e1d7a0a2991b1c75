using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SmmuActors.Client;
using SmmuActors.Client.Engines;
using SmmuActors.Grains.Hosting;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// Ctrl+C and SIGTERM on a real client process, on every engine: the work is cancelled, the partial result is
/// printed (INCOMPLETE: cancelled, how far it got, --json with the reason and where it ran) and the process exits 3
/// well within the bound; a second Ctrl+C ends it at once. The bounds are generous for a shared machine: the
/// seconds measured on an idle one are in docs/architecture.md.
/// </summary>
[Collection("cli")]
[Trait("Suite", "Cli")]
public sealed class StopTests(StopTests.Cluster cluster) : IDisposable, IClassFixture<StopTests.Cluster>
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    static readonly string RaceWorkload = TestPaths.Scenario("reviewer-race.json");
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-stop-").FullName;

    /// <summary>One silo process for the cluster cases: each leaves it idle, which the campaign case checks.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        public GrainSiloProcess Silo { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            Silo = await GrainSiloProcess.StartAsync(0, GrainSiloProcess.FreePortOffset(1), timeout.Token);
        }

        public Task DisposeAsync()
        {
            Silo.Dispose();
            return Task.CompletedTask;
        }
    }

    /// <summary>--engine and, for the cluster, --cluster: "local", "grains" (the embedded silo) or "cluster".</summary>
    string[] On(string engine) => engine == "cluster" ? ["--engine", "grains", "--cluster", cluster.Silo.Gateway] : ["--engine", engine];

    static string EngineOf(string engine) => engine == "cluster" ? "grains" : engine;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Tmp(string name) => Path.Combine(_dir, name);

    /// <summary>A campaign far too long to end by itself within the test.</summary>
    string[] Campaign(string engine, params string[] more) =>
        ["explore", "--engine", engine, "--workload", RaceWorkload, "--runs", "100000000", "--out", Tmp("cx"), "--json", Tmp("summary.json"), .. more];

    [Theory]
    [InlineData("local", StoppedClient.SigInt)]
    [InlineData("local", StoppedClient.SigTerm)]
    [InlineData("grains", StoppedClient.SigInt)]
    [InlineData("grains", StoppedClient.SigTerm)]
    public async Task A_signal_stops_a_campaign_and_prints_the_runs_done(string engine, int signal)
    {
        using var client = StoppedClient.Start("random runs on the", null, Campaign(engine));
        await client.WorkingAsync(TimeSpan.FromSeconds(3));
        await client.StopAsync(signal, Bound);
        AssertCancelled(client, "runs done", engine);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("grains")]
    [InlineData("cluster")]
    public async Task Ctrl_C_stops_an_exhaustive_search_and_prints_the_states_searched(string engine)
    {
        using var client = StoppedClient.Start("exploring every allowed order", null,
            ["explore", .. On(engine), "--strategy", "exhaustive", "--workload", TestPaths.Scenario("full-queue.json"), "--out", Tmp("cx"), "--json", Tmp("summary.json")]);
        await client.WorkingAsync(TimeSpan.FromSeconds(3));
        await client.StopAsync(StoppedClient.SigInt, Bound);
        AssertCancelled(client, "states searched", EngineOf(engine));
        Assert.True(Json().GetProperty("statesExplored").GetInt64() > 0, client.ToString());
        if (engine == "cluster") await AssertIdleAsync();
    }

    /// <summary>Stopping the campaign on a cluster stops it in the silos too: they go idle, not on with batches nobody awaits.</summary>
    [Fact]
    public async Task Ctrl_C_stops_a_campaign_on_a_cluster_and_leaves_its_silo_idle()
    {
        using var client = StoppedClient.Start("random runs on the", null, Campaign("grains", "--cluster", cluster.Silo.Gateway));
        await client.WorkingAsync(TimeSpan.FromSeconds(3));
        await client.StopAsync(StoppedClient.SigInt, Bound);
        AssertCancelled(client, "runs done", "grains");
        Assert.Contains($"the cluster at {cluster.Silo.Gateway}", client.Output);
        var ranOn = Json().GetProperty("ranOn");
        Assert.Equal($"the cluster at {cluster.Silo.Gateway}", ranOn.GetProperty("where").GetString());
        Assert.InRange(ranOn.GetProperty("batchesBySilo").EnumerateObject().Count(), 0, 1);
        await AssertIdleAsync();
    }

    /// <summary>
    /// A stop while a witness is being shrunk cuts that shrink short: its smallest run so far is saved, replayable and
    /// marked as cut, and the kinds after it are listed unshrunk. The workload is pm-cycles with each program five
    /// times over, so each shrink replays long runs for a second or more and the stop lands inside the first one.
    /// </summary>
    [Theory]
    [InlineData("local")]
    [InlineData("grains")]
    [InlineData("cluster")]
    public async Task Ctrl_C_cuts_a_shrink_short_and_saves_its_smallest_run_so_far(string engine)
    {
        var workload = JsonNode.Parse(File.ReadAllText(TestPaths.Scenario("pm-cycles.json")))!.AsObject();
        workload.Remove("$schema");
        foreach (var thread in workload["threads"]!.AsArray())
            thread!["program"] = new JsonArray(Enumerable.Repeat(thread["program"]!.AsArray(), 5).SelectMany(p => p).Select(op => op!.DeepClone()).ToArray());
        File.WriteAllText(Tmp("long-cycles.json"), workload.ToJsonString());
        using var client = StoppedClient.Start("shrinking the", null,
            ["explore", .. On(engine), "--workload", Tmp("long-cycles.json"), "--runs", "2000", "--out", Tmp("cx"), "--json", Tmp("summary.json")]);
        await client.WorkingAsync(TimeSpan.Zero);
        await client.StopAsync(StoppedClient.SigInt, Bound);
        AssertCancelled(client, "runs done", EngineOf(engine));
        Assert.Contains("(not shrunk: stopped first)", client.Output);
        var cut = Assert.Single(Json().GetProperty("counterexamples").EnumerateArray());
        Assert.True(cut.GetProperty("shrinkCutShort").GetBoolean(), client.ToString());
        Assert.Contains("shrinking cut short by the stop", client.Output);
        var saved = Counterexample.Load(cut.GetProperty("file").GetString()!);
        Assert.True(saved.ShrinkCutShort);
        var model = new ScenarioModel(saved.BuildWorkload("cut"), saved.BuildVariant("cut"));
        Assert.Equal(saved.TraceHash, LocalEngine.Run(model, new ReplayStrategy(saved.Choices, model.Workload.Delays)).TraceHash);
        if (engine == "cluster") await AssertIdleAsync();
    }

    /// <summary>One run of 680,000 steps (a program of 40,000 operations): the stop ends it within a step, or a round on grains.</summary>
    [Theory]
    [InlineData("local")]
    [InlineData("grains")]
    [InlineData("cluster")]
    public async Task Ctrl_C_stops_a_long_run(string engine)
    {
        var workload = JsonNode.Parse(File.ReadAllText(RaceWorkload))!.AsObject();
        workload.Remove("$schema");
        workload.Remove("pins");
        workload["name"] = "long-run";
        workload["threads"] = new JsonArray(new JsonObject
        {
            ["name"] = "cpu0",
            ["program"] = new JsonArray(Enumerable.Range(0, 40_000).Select(i => (JsonNode)new JsonObject { ["op"] = i % 2 == 0 ? "unmap" : "map", ["iova"] = "A" }).ToArray()),
        });
        workload["bounds"] = new JsonObject { ["maxSteps"] = 100_000_000, ["maxStates"] = 1000 };
        File.WriteAllText(Tmp("long-run.json"), workload.ToJsonString());
        using var client = StoppedClient.Start("running long-run", null, ["run", .. On(engine), "--workload", Tmp("long-run.json"), "--json", Tmp("run.json")]);
        await client.WorkingAsync(TimeSpan.FromMilliseconds(200));
        await client.StopAsync(StoppedClient.SigInt, Bound);
        Assert.True(client.ExitCode == Client.Cli.Incomplete, client.ToString());
        Assert.Matches(new Regex("^INCOMPLETE: cancelled", RegexOptions.Multiline), client.Output);
        if (engine == "cluster") await AssertIdleAsync();
    }

    /// <summary>Lanes or a search still running would keep a core or two busy: several seconds of CPU in three.</summary>
    async Task AssertIdleAsync()
    {
        using var process = Process.GetProcessById(cluster.Silo.Pid);
        var before = process.TotalProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(3));
        process.Refresh();
        Assert.True(process.TotalProcessorTime - before < TimeSpan.FromSeconds(1), $"the silo used {(process.TotalProcessorTime - before).TotalSeconds:0.0} s of CPU after the stop");
    }

    [Fact]
    public async Task A_second_ctrl_c_exits_at_once()
    {
        using var client = StoppedClient.Start("random runs on the", null, Campaign("grains"));
        await client.WorkingAsync(TimeSpan.FromSeconds(2));
        client.Signal(StoppedClient.SigInt);
        // The second signal goes once the first was taken, while the stop is printing and shutting down (about a second).
        await client.StoppingAsync();
        await client.StopAsync(StoppedClient.SigInt, Bound);
        Assert.True(client.ExitCode == 130, client.ToString());
        Assert.Contains("stopped at once", client.Errors);
        Assert.DoesNotContain("INCOMPLETE", client.Output);
    }

    [Fact]
    public async Task A_cluster_endpoint_with_nothing_listening_is_one_line_at_once()
    {
        var clock = Stopwatch.StartNew();
        using var capture = new ConsoleCapture();
        int exit = await CliApp.RunAsync(["explore", "--workload", RaceWorkload, "--runs", "1000", "--cluster", $"127.0.0.1:{FreePort.On(System.Net.IPAddress.Loopback)}"]);
        Assert.Equal(Client.Cli.BadInput, exit);
        Assert.True(clock.Elapsed < Bound, $"took {clock.Elapsed.TotalSeconds:0.0} s");
        var line = Assert.Single(capture.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: --cluster: nothing listens at 127.0.0.1:", line);
    }

    JsonElement Json() => JsonDocument.Parse(File.ReadAllText(Tmp("summary.json"))).RootElement;

    void AssertCancelled(StoppedClient client, string done, string engine)
    {
        Assert.True(client.ExitCode == Client.Cli.Incomplete, client.ToString());
        Assert.Matches(new Regex($@"^INCOMPLETE: cancelled after [\d,]+ {done}", RegexOptions.Multiline), client.Output);
        var json = Json();
        Assert.Equal("cancelled", json.GetProperty("incompleteReason").GetString());
        Assert.Equal(engine, json.GetProperty("ranOn").GetProperty("engine").GetString());
    }
}
