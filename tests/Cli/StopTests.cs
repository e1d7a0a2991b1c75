using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SmmuActors.Client;
using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Grains.Hosting;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;
using SmmuActors.Reports;
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

    public static TheoryData<string> Engines => ["local", "grains", "cluster"];

    /// <summary>A shipped workload as JSON to edit into a test's own (written to the test's directory).</summary>
    static JsonObject Shipped(string file)
    {
        var workload = JsonNode.Parse(File.ReadAllText(TestPaths.Scenario(file)))!.AsObject();
        workload.Remove("$schema");
        return workload;
    }

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

    /// <summary>
    /// --variant all stopped in its first preset's search: the presets it never reached are named on the console and in
    /// the JSON, which stays an array of every preset (it was one object, or an array of those done, by when the stop came).
    /// </summary>
    [Fact]
    public async Task A_stop_of_every_preset_names_those_not_run()
    {
        using var client = StoppedClient.Start("exploring every allowed order", null,
            ["explore", "--engine", "local", "--variant", "all", "--workload", TestPaths.Scenario("full-queue.json"), "--strategy", "exhaustive",
                "--out", Tmp("cx"), "--json", Tmp("summary.json")]);
        await client.WorkingAsync(TimeSpan.FromSeconds(1));
        await client.StopAsync(StoppedClient.SigInt, Bound);
        Assert.True(client.ExitCode == Client.Cli.Incomplete, client.ToString());
        var presets = Variants.Presets.Select(p => p.Name).ToList();
        Assert.Contains($"not run (stopped first): {string.Join(", ", presets.Skip(1))}", client.Output);
        var json = Json();
        Assert.Equal(presets, json.EnumerateArray().Select(r => r.GetProperty("variant").GetString()!).ToList());
        Assert.Equal("cancelled", json[0].GetProperty("incompleteReason").GetString());
        Assert.All(json.EnumerateArray().Skip(1), r => Assert.Equal("INCOMPLETE: cancelled before it ran", r.GetProperty("verdict").GetString()));
    }

    /// <summary>
    /// A stop as the embedded silo starts: explore still writes its JSON, the preset named as not run and the verdict
    /// cancelled, and exits 3 within the bound. It wrote no JSON, and on two busy cores the stop waited 1.8 s for the
    /// silo's host to be built. Whether the stop lands in the start or in the campaign after it is the machine's timing;
    /// either way the JSON says cancelled.
    /// </summary>
    [Fact]
    public async Task A_stop_as_the_embedded_silo_starts_still_writes_the_json()
    {
        using var client = StoppedClient.StartSignalledWhenWorking("starting a silo in this process", StoppedClient.SigTerm, Campaign("grains"));
        await client.SignalledExitAsync(Bound);
        Assert.True(client.ExitCode == Client.Cli.Incomplete, client.ToString());
        var json = Json();
        Assert.Equal("cancelled", json.GetProperty("incompleteReason").GetString());
        if (client.Output.Contains("INCOMPLETE: cancelled before anything finished"))
        {
            Assert.Contains("not run (stopped first): as-posted", client.Output);
            Assert.Equal("INCOMPLETE: cancelled before it ran", json.GetProperty("verdict").GetString());
        }
        else AssertCancelled(client, "runs done", "grains");
    }

    /// <summary>
    /// bench-cluster stopped while it measures its second cluster: the table of the first and INCOMPLETE, exit 3, and its
    /// JSON saying so. It used to print "cancelled before anything finished" and drop the cluster it had measured, and a
    /// stop that waited on the campaign grain's Close for Orleans' 30 s ended as an internal error.
    /// </summary>
    [Fact]
    public async Task A_stop_of_bench_cluster_keeps_the_clusters_measured()
    {
        using var client = StoppedClient.StartSignalledWhenWorking("measuring on 2 silo processes", StoppedClient.SigInt, TimeSpan.FromSeconds(2),
            "bench-cluster", "--silos", "1", "2", "--runs", "20000", "--warmup", "0", "--json", Tmp("bench.json"));
        await client.SignalledExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(client.ExitCode == 3, $"exit {client.ExitCode}:\n{client.Output}\n{client.Errors}");
        Assert.Contains("1 silo(s): ", client.Output);
        Assert.Contains("INCOMPLETE: cancelled during the campaign on 2 silo processes", client.Output);
        Assert.DoesNotContain("internal error", client.Errors);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("bench.json")));
        Assert.Equal(1, json.RootElement.GetProperty("clusters").GetArrayLength());
        Assert.Equal("cancelled during the campaign on 2 silo processes", json.RootElement.GetProperty("incompleteReason").GetString());
    }

    /// <summary>
    /// A stop of a local campaign with the pool held at one thread per core (as it is until it grows; see
    /// <see cref="ThreadPoolTests"/>). The first signal used to reach the command through a callback queued on that
    /// pool behind the campaign's own work (its workers were pool threads then): from a shell, a storm campaign
    /// stopped 2 s in went on for 8 to 9 s, until the pool grew; held at its size, it never stopped. The signal is
    /// now handled on a thread of its own and the workers have theirs, so neither waits for the pool.
    /// </summary>
    [Fact]
    public async Task A_stop_reaches_a_local_campaign_with_the_pool_held_at_its_size()
    {
        var pool = new Dictionary<string, string> { ["DOTNET_ThreadPool_ForceMaxWorkerThreads"] = Environment.ProcessorCount.ToString() };
        using var client = StoppedClient.Start("random runs on the", pool,
            ["explore", "--engine", "local", "--workload", TestPaths.Scenario("storm.json"), "--runs", "100000000", "--out", Tmp("cx"), "--json", Tmp("summary.json")]);
        await client.WorkingAsync(TimeSpan.FromSeconds(1));
        await client.StopAsync(StoppedClient.SigInt, Bound);
        AssertCancelled(client, "runs done", "local");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Ctrl_C_stops_an_exhaustive_search_and_prints_the_states_searched(string engine)
    {
        // full-queue with a third CPU: over 16 million states and still going after 40 s here. full-queue itself was
        // searched to the end in 3.7 s on CI, before the stop was sent.
        var workload = Shipped("full-queue.json");
        workload["name"] = "full-queue-3cpu";
        workload["threads"]!.AsArray().Insert(2, workload["threads"]![1]!.DeepClone());
        workload["threads"]![2]!["name"] = "cpu2";
        workload["bounds"]!["maxStates"] = 100_000_000;
        File.WriteAllText(Tmp("full-queue-3cpu.json"), workload.ToJsonString());
        using var client = StoppedClient.Start("exploring every allowed order", null,
            ["explore", .. On(engine), "--strategy", "exhaustive", "--workload", Tmp("full-queue-3cpu.json"), "--out", Tmp("cx"), "--json", Tmp("summary.json")]);
        await client.WorkingAsync(TimeSpan.FromSeconds(3));
        await client.StopAsync(StoppedClient.SigInt, Bound);
        AssertCancelled(client, "states searched", EngineOf(engine));
        Assert.True(Json().GetProperty("statesExplored").GetInt64() > 0, client.ToString());
        // The stop walked the graph only as deep as its witnesses: its depth was not measured, and is not claimed.
        Assert.False(Json().TryGetProperty("depth", out _), client.ToString());
        Assert.DoesNotContain("depth", client.Output.Split('\n').Single(l => l.Contains("distinct state")));
        if (engine == "cluster") await AssertIdleAsync();
    }

    /// <summary>
    /// Ctrl+C during bench --fresh, while a preset's search runs as `explore` in a process of its own: that process is
    /// ended with the bench, the searches that finished are printed as figures and written to the JSON with why the rest is
    /// missing and no targets, and the bench exits 3.
    /// </summary>
    [Fact]
    public async Task Ctrl_C_stops_a_bench_and_its_own_process_search_and_prints_what_finished()
    {
        // full-queue under gate-outside-cas takes seconds to its bound: signalled half a second after its own-process search
        // began, that search is still running.
        using var client = StoppedClient.Start("under gate-outside-cas on 1 worker(s) in a process of its own", null,
            ["bench", "--runs", "200", "--engine-runs", "200", "--engines", "local", "--warmup", "0.5", "--workloads", RaceWorkload,
                "--search", TestPaths.Scenario("full-queue.json"), "--variants", "no-reset-invalidate", "gate-outside-cas", "--workers", "1",
                "--repeat", "0", "--fresh", "--json", Tmp("bench.json")]);
        await client.WorkingAsync(TimeSpan.FromSeconds(0.5));
        // This bench's own child, by its parent and then by its command line (its temporary folder is its own): another
        // bench on the machine has one too, and a child that outlived this bench would have another parent.
        static string? CommandLine(string proc)
        {
            try { return File.ReadAllText(Path.Combine(proc, "cmdline")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        }
        static int Parent(string proc)
        {
            try { return int.Parse(File.ReadAllText(Path.Combine(proc, "stat")).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { return -1; }
        }
        static IEnumerable<string> Processes() => Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _));
        string? child = Processes().Where(d => Parent(d) == client.Pid).Select(CommandLine).FirstOrDefault(c => c?.Contains("smmu-actors-bench-") == true);
        Assert.True(child is not null, $"no explore process of the bench's was running:\n{client}");
        bool Running() => Processes().Any(d => CommandLine(d) == child);
        await client.StopAsync(StoppedClient.SigInt, Bound);
        Assert.Equal(3, client.ExitCode);
        Assert.Contains("INCOMPLETE: cancelled", client.Output);
        // The searches in this process finished before the own-process ones began: their rows are printed.
        Assert.Contains("no-reset-invalidate", client.Output);
        Assert.Contains("exhaustive exploration", client.Output);
        using var written = JsonDocument.Parse(File.ReadAllText(Tmp("bench.json")));
        var bench = written.RootElement;
        Assert.Equal("cancelled", bench.GetProperty("incompleteReason").GetString());
        Assert.False(bench.TryGetProperty("targets", out _), client.ToString());
        // The in-process searches, each fresh and warm, and not the own-process search the stop cut.
        var rows = bench.GetProperty("exhaustive").EnumerateArray().ToList();
        Assert.Equal(3, rows.Count(r => r.GetProperty("variant").GetString() == "no-reset-invalidate"));
        Assert.DoesNotContain(rows, r => r.GetProperty("ownProcess").GetBoolean() && r.GetProperty("variant").GetString() == "gate-outside-cas");
        Assert.Empty(bench.GetProperty("random").EnumerateArray());
        Assert.False(Running(), $"an explore process of the bench's outlived it:\n{client}");
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
    /// A stop while witnesses are being shrunk: the process ends within the bound with exit 3 and the runs done; the
    /// shrink under way, if any, is cut short and its run so far saved, and the kinds after it are saved as found, each
    /// marked in the JSON and the summary alike; every kind has its counterexample, and every one replays. Where the
    /// stop lands (inside a shrink of about half a second, or between two) is the machine's timing, so how many were
    /// shrunk whole is not asserted; that a stopped shrink hands back its run, on every engine, is the test after this one.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Ctrl_C_while_shrinking_saves_what_is_shrunk_and_lists_the_rest(string engine)
    {
        // pm-cycles with each program twenty times over: six kinds of violation in 500 runs, each shrink 0.3 to 0.5 s here.
        // With the programs five times over every shrink took 0.05-0.1 s, and on CI a stop sent from this process's thread
        // pool once the first began came after the last had ended.
        var workload = Shipped("pm-cycles.json");
        foreach (var thread in workload["threads"]!.AsArray())
            thread!["program"] = new JsonArray(Enumerable.Repeat(thread["program"]!.AsArray(), 20).SelectMany(p => p).Select(op => op!.DeepClone()).ToArray());
        File.WriteAllText(Tmp("long-cycles.json"), workload.ToJsonString());
        using var client = StoppedClient.StartSignalledWhenWorking("shrinking the", StoppedClient.SigInt,
            ["explore", .. On(engine), "--workload", Tmp("long-cycles.json"), "--runs", "500", "--out", Tmp("cx"), "--json", Tmp("summary.json"), "--report", Tmp("report")]);
        await client.SignalledExitAsync(Bound);
        AssertCancelled(client, "runs done", EngineOf(engine));
        var json = Json();
        var saved = json.GetProperty("counterexamples").EnumerateArray().ToList();
        int kinds = json.GetProperty("violationsByKind").EnumerateObject().Count();
        Assert.Equal(kinds, saved.Count);
        int cut = saved.Count(c => c.TryGetProperty("shrinkCutShort", out var v) && v.GetBoolean());
        Assert.Equal(cut, Regex.Matches(client.Output, "shrinking cut short by the stop").Count);
        // Those saved as found, and at most one more: the shrink the stop landed in.
        int unshrunk = Regex.Matches(client.Errors, "witness unshrunk").Count;
        Assert.InRange(cut, unshrunk, unshrunk + 1);
        // Nothing is replayed after the stop, so a counterexample it cut has no chart (nor one whose replay it cut); the
        // summary and the report say why of each.
        Assert.All(saved.Where(c => c.TryGetProperty("shrinkCutShort", out _)), c => Assert.False(c.TryGetProperty("chart", out _)));
        int unreplayed = saved.Count(c => !c.TryGetProperty("chart", out _));
        Assert.Equal(unreplayed, Regex.Matches(client.Output, Regex.Escape(Finding.NotReplayed)).Count);
        // The report is written after the stop too, so it draws no story or chart for those replayed before it either.
        string report = File.ReadAllText(Path.Combine(Tmp("report"), "index.html"));
        Assert.Equal(unreplayed, Regex.Matches(report, Regex.Escape(Finding.NotReplayed)).Count);
        Assert.Equal(saved.Count - unreplayed, Regex.Matches(report, Regex.Escape(HtmlReport.Stopped)).Count);
        // Nor is a story sliced: a run of millions of deliveries takes seconds.
        Assert.DoesNotMatch(@"how it happens: [a-z-]+ \(", client.Output);
        foreach (var c in saved)
        {
            var cx = Counterexample.Load(c.GetProperty("file").GetString()!);
            var model = new ScenarioModel(cx.BuildWorkload("cx"), cx.BuildVariant("cx"));
            Assert.Equal(cx.TraceHash, LocalEngine.Run(model, new ReplayStrategy(cx.Choices, model.Workload.Delays)).TraceHash);
        }
        if (engine == "cluster") await AssertIdleAsync();
    }

    /// <summary>
    /// A shrink stopped before it begins hands back the witness itself, as its run found it (no replay: the run given has a
    /// hash no run has), marked as cut short, rather than nothing, whichever engine the client was given (stopped first, each
    /// saves it in the client; InvestigationGrainTests sends the run through a silo).
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_stopped_shrink_hands_back_its_run_so_far_on_every_engine(string engine)
    {
        await using var host = engine == "local" ? new LocalEngineHost()
            : await GrainEngineHost.CreateAsync(engine == "cluster" ? new ClusterAddress(cluster.Silo.Gateway, null) : ClusterAddress.Embedded, traced: false, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var witness = new Witness(RaceWitness.Kind, 0, RaceWitness.Choices.ToArray(), new WitnessRun("0123456789abcdef0123456789abcdef", 321, "as found"));
        var cx = await host.InvestigateAsync(ScenarioSpec.From(RaceWitness.Model, RaceWorkload), StrategyKind.Random, 1, witness, stop.Token);
        Assert.True(cx.ShrinkCutShort);
        Assert.Null(cx.StepsBeforeShrink);
        Assert.Equal(("0123456789abcdef0123456789abcdef", 321L, "as found"), (cx.TraceHash, cx.Steps, cx.Detail));
        Assert.Equal(RaceWitness.Choices, cx.Choices);
    }

    /// <summary>
    /// A stop that comes while the campaign is being submitted cancels it as well: the runner hands back its result
    /// (no runs, or the few done) instead of leaving a started campaign to run on in the cluster with nobody waiting,
    /// which is what a stop in the seconds a busy machine takes to start one did.
    /// </summary>
    [Fact]
    public async Task A_stop_during_the_submission_cancels_the_campaign_in_the_cluster()
    {
        await using var connection = await GrainConnection.ClusterAsync(cluster.Silo.Gateway, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var spec = new CampaignSpec(ScenarioSpec.From(RaceWitness.Model, RaceWorkload), 1, 100_000_000);
        var s = await GrainCampaignRunner.RunAsync(connection.Client, spec, null, null, stop.Token);
        Assert.True(s.Finished && s.Cancelled, $"finished {s.Finished}, cancelled {s.Cancelled}");
        Assert.True(s.Done < spec.Runs);
        await AssertIdleAsync();
    }

    /// <summary>
    /// One long run (<see cref="LongRunWorkload"/>): the stop ends it within a step, or a sweep on grains, and what it
    /// did so far is printed and written. The run is seconds long, and the stop comes two seconds after the client says
    /// it runs, so the run is under way: a stop while the program is still being built comes before the run, with
    /// nothing to show (the whole program's builds on grains, one in the lane and one in each component, took over two
    /// seconds on a busy machine). A run that has begun may still be cut before its first step, while the components
    /// build it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Ctrl_C_stops_a_long_run(string engine)
    {
        File.WriteAllText(Tmp("long-run.json"), LongRunWorkload.Json(LongRunOps(engine)));
        using var client = StoppedClient.StartSignalledWhenWorking($"running {LongRunWorkload.Name}", StoppedClient.SigInt, UnderWay,
            ["run", .. On(engine), "--workload", Tmp("long-run.json"), "--json", Tmp("run.json")]);
        await client.SignalledExitAsync(Bound);
        Assert.True(client.ExitCode == Client.Cli.Incomplete, client.ToString());
        AssertCut(client, Tmp("run.json"), LongRunWorkload.Steps(LongRunOps(engine)));
        if (engine == "cluster") await AssertIdleAsync();
    }

    /// <summary>
    /// A replay of a file whose run is long, stopped: it is neither reproduced nor not. The file is the long run's,
    /// saved as a witness is when a stop leaves no time to replay it (its choices past their end take the shortest).
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Ctrl_C_stops_a_long_replay_and_prints_how_far_it_got(string engine)
    {
        File.WriteAllText(Tmp("long-run.json"), LongRunWorkload.Json(LongRunOps(engine)));
        var model = new ScenarioModel(WorkloadLoader.LoadFile(Tmp("long-run.json")), Variants.Build("as-posted", []));
        long steps = LongRunWorkload.Steps(LongRunOps(engine));
        var witness = new Witness(ViolationKind.StaleTranslation, 0, [], new WitnessRun("0123456789abcdef0123456789abcdef", steps, "as found"));
        Counterexample.AsFound(model, Tmp("long-run.json"), 1, witness, witness.Run!).Save(Tmp("long-cx.json"));
        using var client = StoppedClient.StartSignalledWhenWorking("replaying", StoppedClient.SigInt, UnderWay,
            ["replay", Tmp("long-cx.json"), .. On(engine), "--json", Tmp("replay.json")]);
        await client.SignalledExitAsync(Bound);
        Assert.True(client.ExitCode == Client.Cli.Incomplete, client.ToString());
        AssertCut(client, Tmp("replay.json"), steps);
        var note = new Regex(@"^not checked: the stop came at step [\d,]+ of the recorded ([\d,]+)$", RegexOptions.Multiline).Match(client.Output);
        Assert.True(note.Success, client.ToString());
        Assert.Equal(steps, long.Parse(note.Groups[1].Value.Replace(",", "")));
        Assert.DoesNotContain("MISMATCH", client.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(Tmp("replay.json")));
        Assert.False(json.RootElement.TryGetProperty("reproduced", out _), "a cut replay is neither reproduced nor not");
        if (engine == "cluster") await AssertIdleAsync();
    }

    static readonly TimeSpan UnderWay = TimeSpan.FromSeconds(2);

    static int LongRunOps(string engine) => engine == "local" ? 400_000 : 40_000;

    /// <summary>What a run or replay a stop ended prints and writes: how far it got, and no timeline.</summary>
    static void AssertCut(StoppedClient client, string jsonPath, long whole)
    {
        var verdict = new Regex(@"^INCOMPLETE: cancelled after ([\d,]+) steps(, found [a-z, -]+)?: (replaying [a-z-]+ on )?long-run under ", RegexOptions.Multiline).Match(client.Output);
        Assert.True(verdict.Success, client.ToString());
        long steps = long.Parse(verdict.Groups[1].Value.Replace(",", ""));
        Assert.True(steps < whole, client.ToString());
        Assert.Contains("a stop ended the run here", client.Output);
        Assert.DoesNotMatch(new Regex(@"^\s+\d+ t=", RegexOptions.Multiline), client.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        Assert.Equal(VerdictWords.Cancelled, json.RootElement.GetProperty("incompleteReason").GetString());
        Assert.Equal(steps, json.RootElement.GetProperty("steps").GetInt64());
        Assert.StartsWith("INCOMPLETE: cancelled after", json.RootElement.GetProperty("verdict").GetString());
    }

    const int SigAlrm = 14;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);

    /// <summary>Lanes or a search still running would keep a core or two busy: several seconds of CPU in three.</summary>
    async Task AssertIdleAsync()
    {
        using var process = Process.GetProcessById(cluster.Silo.Pid);
        var before = process.TotalProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(3));
        process.Refresh();
        Assert.True(process.TotalProcessorTime - before < TimeSpan.FromSeconds(1), $"the silo used {(process.TotalProcessorTime - before).TotalSeconds:0.0} s of CPU after the stop");
    }

    /// <summary>
    /// The second signal follows the first at once, and is SIGTERM: two SIGINTs sent together can merge into one
    /// pending signal, and a second sent once the first was taken races with a stop that is over in a few tenths of
    /// a second (the test's reaction to the client's line can take longer on a busy machine). Either order of the
    /// two is a first and a second stop request.
    /// </summary>
    /// <summary>
    /// `timeout -s INT` signals the command and its process group, so the command gets one SIGINT twice: that is one
    /// stop, and the partial result is printed (it was "stopped at once", exit 130, nothing printed, in 1 run of 4). A
    /// signal of the other kind, or the same one later, is a second stop.
    /// </summary>
    [Fact]
    public void The_same_signal_twice_at_once_is_one_stop()
    {
        long t = Stopwatch.GetTimestamp();
        long later(double ms) => t + (long)(ms * Stopwatch.Frequency / 1000);
        Assert.True(StopSignals.IsEcho(System.Runtime.InteropServices.PosixSignal.SIGINT, t, System.Runtime.InteropServices.PosixSignal.SIGINT, later(1)));
        Assert.False(StopSignals.IsEcho(System.Runtime.InteropServices.PosixSignal.SIGINT, t, System.Runtime.InteropServices.PosixSignal.SIGTERM, later(1)));
        Assert.False(StopSignals.IsEcho(System.Runtime.InteropServices.PosixSignal.SIGINT, t, System.Runtime.InteropServices.PosixSignal.SIGINT, later(StopSignals.Echo.TotalMilliseconds + 1)));
    }

    /// <summary>
    /// The user's command itself. The two signals often merge into one pending signal, so this does not catch every
    /// regression of the echo (six runs in a row passed without it); the rule is held by the test above.
    /// </summary>
    [Fact]
    public async Task Timeout_sending_SIGINT_to_the_command_and_its_group_gives_the_partial_result()
    {
        // env(1) gives the client SIGINT's default handling, as StoppedClient does.
        var psi = new ProcessStartInfo("timeout", ["-s", "INT", "600", "env", "--default-signal=INT", "dotnet", GrainSiloProcess.BuiltDll("client", "smmu-actors.dll"), .. Campaign("local")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestPaths.RepoRoot,
        };
        psi.Environment["DOTNET_GCgen0size"] = "0x4000000";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        // timeout's time runs out once the campaign runs, not at a fixed time from its start: a SIGINT before .NET has set
        // its handler ends the process at once with nothing printed, which a start of 1 to 3.4 s on a busy machine met.
        // SIGALRM to timeout is its time running out: it signals the command, then the command's process group.
        var errors = new StringBuilder();
        while (await p.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(180)) is { } line)
        {
            errors.AppendLine(line);
            if (line.Contains("random runs on the")) break;
        }
        Assert.True(SendSignal(p.Id, SigAlrm) == 0, errors.ToString());
        errors.Append(await p.StandardError.ReadToEndAsync());
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        // timeout exits 124 when it sent the signal, whatever the command's own exit.
        Assert.Equal(124, p.ExitCode);
        Assert.Contains("INCOMPLETE: cancelled", await output);
        Assert.DoesNotContain("stopped at once", errors.ToString());
    }

    /// <summary>
    /// A stop the command cannot act on: blocked opening a FIFO nobody reads for its --json, one SIGTERM (all that
    /// timeout(1), CI and service managers send) left it running for good. It ends as a second stop would, once the
    /// stop is overdue, and says why.
    /// </summary>
    [Fact]
    public async Task A_stop_blocked_on_a_pipe_nobody_reads_ends_once_overdue()
    {
        string fifo = Tmp("summary.fifo");
        using (var made = Process.Start("mkfifo", [fifo])) await made.WaitForExitAsync();
        // Stopped in the run or after it, the run writes its --json, which blocks until a reader opens the FIFO.
        using var client = StoppedClient.Start("running reviewer-race", null, "run", "--engine", "local", "--workload", RaceWorkload, "--json", fifo);
        await client.WorkingAsync(TimeSpan.FromSeconds(0.5));
        var took = await client.StopAsync(StoppedClient.SigTerm, StopSignals.Overdue + Bound);
        Assert.Equal(143, client.ExitCode);
        Assert.Contains($"still stopping after {StopSignals.Overdue.TotalSeconds:0} s", client.Errors);
        Assert.True(took >= StopSignals.Overdue - TimeSpan.FromSeconds(1), $"ended {took.TotalSeconds:F1} s after the signal, before the stop was overdue:\n{client}");
    }

    [Fact]
    public async Task A_second_stop_signal_exits_at_once()
    {
        using var client = StoppedClient.Start("random runs on the", null, Campaign("grains"));
        await client.WorkingAsync(TimeSpan.FromSeconds(2));
        client.Signal(StoppedClient.SigInt);
        await client.StopAsync(StoppedClient.SigTerm, Bound);
        Assert.True(client.ExitCode is 130 or 143, client.ToString());
        Assert.Contains("stopped at once", client.Errors);
        Assert.DoesNotContain("INCOMPLETE", client.Output);
    }

    /// <summary>
    /// A second stop ends the client before its cancel reaches a cluster's campaign, which runs on without it: the client
    /// says which campaign and how to stop it, and `campaign cancel` does, leaving the silo idle.
    /// </summary>
    [Fact]
    public async Task A_campaign_a_second_stop_leaves_on_a_cluster_is_named_and_campaign_cancel_stops_it()
    {
        using (var client = StoppedClient.Start("random runs on the", null, Campaign("grains", "--cluster", cluster.Silo.Gateway)))
        {
            await client.WorkingAsync(TimeSpan.FromSeconds(2));
            client.Signal(StoppedClient.SigInt);
            await client.StopAsync(StoppedClient.SigTerm, Bound);
            Assert.True(client.ExitCode is 130 or 143, client.ToString());
            var named = Regex.Match(client.Errors, @"campaign ([0-9a-f]{32}) may still be running on the cluster at .*: stop it with 'smmu-actors campaign cancel \1'");
            Assert.True(named.Success, client.ToString());
            using var capture = new ConsoleCapture(columns: "400");
            Assert.Equal(0, await CliApp.RunAsync(["campaign", "cancel", named.Groups[1].Value, "--cluster", cluster.Silo.Gateway]));
            Assert.Matches($@"campaign {named.Groups[1].Value}: (cancelled|finished), [\d,]+ of 100,000,000 runs", capture.Out);
        }
        await AssertIdleAsync();
        using var unknown = new ConsoleCapture();
        Assert.Equal(Client.Cli.BadInput, await CliApp.RunAsync(["campaign", "cancel", Guid.NewGuid().ToString("N"), "--cluster", cluster.Silo.Gateway]));
        Assert.Contains("no campaign", unknown.Err);
    }

    /// <summary>
    /// A campaign cancelled by `campaign cancel` is cut short as a stopped explore is: `campaign wait` and `campaign results`
    /// exit 3, not 1 for the violations found before the cancel (nor 0 had there been none).
    /// </summary>
    [Fact]
    public async Task A_cancelled_campaign_is_incomplete_to_wait_and_results()
    {
        string id = await DetachedCampaignAsync();
        await using (var connection = await GrainConnection.ClusterAsync(cluster.Silo.Gateway, CancellationToken.None))
        {
            var campaign = connection.Client.GetGrain<ICampaignGrain>(Guid.ParseExact(id, "N"));
            var clock = Stopwatch.StartNew();
            while ((await campaign.Poll(TimeSpan.FromMilliseconds(200))).Violations == 0)
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "no violation within a minute of pm-cycles runs");
        }
        using (var first = new ConsoleCapture())
        {
            Assert.Equal(0, await CliApp.RunAsync(["campaign", "cancel", id, "--cluster", cluster.Silo.Gateway]));
            Assert.DoesNotContain("nothing to cancel", first.Err);
        }
        // Cancelled twice: the second stops nothing, and says so rather than print the status as if it had.
        using (var again = new ConsoleCapture())
        {
            Assert.Equal(0, await CliApp.RunAsync(["campaign", "cancel", id, "--cluster", cluster.Silo.Gateway]));
            Assert.Contains($"campaign {id} had already ended (cancelled): nothing to cancel", again.Err);
        }
        using (var wait = new ConsoleCapture(columns: "400"))
        {
            Assert.Equal(Client.Cli.Incomplete, await CliApp.RunAsync(["campaign", "wait", id, "--cluster", cluster.Silo.Gateway]));
            Assert.Contains($"campaign {id}: cancelled", wait.Out);
        }
        using (var results = new ConsoleCapture(columns: "400"))
        {
            Assert.Equal(Client.Cli.Incomplete, await CliApp.RunAsync(["campaign", "results", id, "--cluster", cluster.Silo.Gateway, "--out", Path.Combine(_dir, "cx"),
                "--json", Tmp("results.json")]));
            Assert.StartsWith("INCOMPLETE: cancelled after", results.OutLines[0]);
            // Found, never shrunk in the cluster: shrunk here, one counterexample a kind (--out was left empty before).
            Assert.Contains("; the campaign was cancelled before it was shrunk)...", results.Err);
            var kinds = JsonDocument.Parse(File.ReadAllText(Tmp("results.json"))).RootElement.GetProperty("violationsByKind").EnumerateObject().Select(p => p.Name).Order().ToList();
            Assert.NotEmpty(kinds);
            Assert.Equal(kinds, Directory.GetFiles(Path.Combine(_dir, "cx"), "*.json").Select(f => Counterexample.Load(f).Kind).Order());
        }
        await AssertIdleAsync();
    }

    /// <summary>
    /// Ctrl+C on `campaign wait` stops the waiting, not the campaign, which `wait` never asked to cancel: it said
    /// "cancelled before anything finished" while the campaign ran on. It now says the campaign goes on, with its counts
    /// and the commands to follow or stop it, and exits 3 within the bound.
    /// </summary>
    [Fact]
    public async Task Stopping_campaign_wait_leaves_the_campaign_running_and_says_so()
    {
        string id = await DetachedCampaignAsync();
        using (var wait = StoppedClient.Start("waiting for campaign", null, "campaign", "wait", id, "--cluster", cluster.Silo.Gateway))
        {
            await wait.WorkingAsync(TimeSpan.FromSeconds(1));
            await wait.StopAsync(StoppedClient.SigInt, Bound);
            Assert.True(wait.ExitCode == Client.Cli.Incomplete, wait.ToString());
            Assert.Matches($@"INCOMPLETE: stopped waiting; campaign {id} goes on in the cluster \([\d,]+ of 100,000,000 runs done\)", wait.Output);
            // With the cluster it was given: without it, the printed command looked for the campaign in Redis.
            Assert.Contains($"'smmu-actors campaign cancel {id} --cluster {cluster.Silo.Gateway}' stops it", wait.Errors);
        }
        await using (var connection = await GrainConnection.ClusterAsync(cluster.Silo.Gateway, CancellationToken.None))
        {
            var s = await connection.Client.GetGrain<ICampaignGrain>(Guid.ParseExact(id, "N")).Poll(TimeSpan.Zero);
            Assert.False(s.Finished || s.Cancelled, "the campaign stopped with its waiter");
        }
        using (new ConsoleCapture()) Assert.Equal(0, await CliApp.RunAsync(["campaign", "cancel", id, "--cluster", cluster.Silo.Gateway]));
        await AssertIdleAsync();
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

    /// <summary>
    /// A gateway that accepts connections and never answers: the one line after the join's 10 s, without the host's own
    /// report of its failed start before it (a cancellation's stack trace).
    /// </summary>
    [Fact]
    public async Task A_cluster_endpoint_that_never_answers_is_one_line_without_a_stack_trace()
    {
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        using var stop = new CancellationTokenSource();
        var held = new List<System.Net.Sockets.Socket>();
        var accepting = Task.Run(async () =>
        {
            while (true) held.Add(await silent.AcceptSocketAsync(stop.Token));
        });
        try
        {
            using var capture = new ConsoleCapture();
            string gateway = $"127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}";
            Assert.Equal(Client.Cli.BadInput, await CliApp.RunAsync(["explore", "--workload", RaceWorkload, "--runs", "1000", "--cluster", gateway]));
            Assert.Contains($"error: --cluster: the gateways at {gateway} accept connections but no cluster answered within 10 s", capture.Err);
            Assert.DoesNotContain("fail:", capture.Err);
            Assert.DoesNotContain("   at ", capture.Err);
        }
        finally
        {
            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
            silent.Stop();
            held.ForEach(s => s.Dispose());
        }
    }

    /// <summary>A pm-cycles campaign of 100,000,000 runs submitted with --detach: its id, while it runs on in the cluster.</summary>
    async Task<string> DetachedCampaignAsync()
    {
        using var submit = new ConsoleCapture();
        Assert.Equal(0, await CliApp.RunAsync(["explore", "--workload", TestPaths.Scenario("pm-cycles.json"), "--runs", "100000000",
            "--cluster", cluster.Silo.Gateway, "--detach"]));
        string id = submit.Out.Trim();
        Assert.Contains($"follow it with: smmu-actors campaign wait {id} --cluster {cluster.Silo.Gateway}", submit.Err);
        return id;
    }

    JsonElement Json() => JsonDocument.Parse(File.ReadAllText(Tmp("summary.json"))).RootElement;

    /// <summary><paramref name="done"/> as "runs done" or "states searched": one of them, as a stop under a heavy load can leave, is said in the singular.</summary>
    void AssertCancelled(StoppedClient client, string done, string engine)
    {
        Assert.True(client.ExitCode == Client.Cli.Incomplete, client.ToString());
        string counted = Regex.Replace(done, @"^(\w+)s ", "$1s? ");
        Assert.True(Regex.IsMatch(client.Output, $@"^INCOMPLETE: cancelled after [\d,]+ {counted}", RegexOptions.Multiline), client.ToString());
        var json = Json();
        Assert.Equal("cancelled", json.GetProperty("incompleteReason").GetString());
        Assert.Equal(engine, json.GetProperty("ranOn").GetProperty("engine").GetString());
    }
}
