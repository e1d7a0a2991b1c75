using System.Text.Json.Nodes;
using SmmuActors.Reports;
using SmmuActors.Client;
using SmmuActors.Client.Commands;
using SmmuActors.Client.Rendering;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Cli;

/// <summary>The answer first: the first line of explore, run and replay is the verdict in capitals.</summary>
[Collection("cli")]
[Trait("Suite", "Cli")]
public class VerdictTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-verdict-").FullName;
    static readonly string RaceWorkload = TestPaths.Scenario("reviewer-race.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Tmp(string name) => Path.Combine(_dir, name);

    static async Task<(int Exit, string[] Lines)> Cli(params string[] args)
    {
        using var capture = new ConsoleCapture();
        int exit = await CliApp.RunAsync(args);
        return (exit, capture.OutLines);
    }

    [Theory]
    [InlineData("as-posted", "exhaustive", 1, "VIOLATED (stale-translation) reviewer-race under as-posted")]
    [InlineData("recheck-mb", "exhaustive", 0, "NO VIOLATION UNDER IN-ORDER LOADS (stronger than Armv8, not a proof: --set loads=armv8 for one) reviewer-race under recheck-mb")]
    [InlineData("recheck-mb", "random", 0, "NO VIOLATION FOUND (random, 300 runs) reviewer-race under recheck-mb")]
    public async Task ExploreStartsWithTheVerdict(string variant, string strategy, int expectedExit, string firstLine)
    {
        string[] runs = strategy == "random" ? ["--runs", "300"] : [];
        var (exit, lines) = await Cli(["explore", "--engine", "local", "--variant", variant, "--workload", RaceWorkload, "--strategy", strategy,
            .. runs, "--out", Tmp("cx")]);
        Assert.Equal(expectedExit, exit);
        Assert.StartsWith(firstLine, lines[0]);
        Assert.DoesNotContain(SummaryView.BoundHint, lines);
    }

    /// <summary>
    /// A clean armv8 search of a queue above 64 entries, whose valid map has several words that the owner's poll reads
    /// on their newest write only, is not called a proof; the same workload with a one-word map is, with the SMMU as
    /// loose as SMMUv3 (cons-advance=any) and the RMWs' writes free to land after the CPU's later stores (rmw-write=split).
    /// </summary>
    [Theory]
    [InlineData(6, 0, "HOLDS")]
    [InlineData(7, 0, VerdictWords.ValidMapNewestOnly)]
    public async Task A_valid_map_of_several_words_polled_on_the_newest_write_is_no_proof(int queueShift, int expectedExit, string verdict)
    {
        string file = Tmp($"big-queue-{queueShift}.json");
        await File.WriteAllTextAsync(file, $$"""
            { "name": "big-queue", "queueShift": {{queueShift}}, "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
              "threads": [ { "name": "cpu0", "program": [ { "op": "unmap", "iova": "A" } ] } ] }
            """);
        var (exit, lines) = await Cli("explore", "--engine", "local", "--variant", "as-posted", "--set", "loads=armv8", "--set", "cons-advance=any",
            "--set", "rmw-write=split", "--workload", file, "--strategy", "exhaustive", "--out", Tmp("cx"));
        Assert.Equal(expectedExit, exit);
        Assert.StartsWith($"{verdict} big-queue under as-posted", lines[0]);
    }

    /// <summary>
    /// A clean armv8 search is a proof only with the SMMU as loose as SMMUv3 allows: CONS passing commands that have not
    /// taken effect (cons-advance=any), and on a workload that suspends, a CMD_SYNC's MSI not yet sent lost at a power-off
    /// (msi-power-off=lost), which SMMUv3 leaves open; with the CPUs' relaxed RMWs writing apart from their reads
    /// (rmw-write=split), as Arm allows; and without the suspend's CONS write-back, which no source of v8 shows
    /// (cons-writeback=off). Short of any of them the verdict says which assumption it rests on.
    /// </summary>
    [Theory]
    [InlineData("cons-advance=completion", "msi-power-off=lost", "rmw-write=split", VerdictWords.StricterSmmuOnly, false)]
    [InlineData("cons-advance=fetch", "msi-power-off=lost", "rmw-write=split", VerdictWords.StricterSmmuOnly, false)]
    [InlineData("cons-advance=any", "msi-power-off=lands", "rmw-write=split", VerdictWords.MsiSurvivesOnly, true)]
    [InlineData("cons-advance=any", "msi-power-off=lost", "rmw-write=split", "HOLDS", false)]
    // The suspend's relaxed fetch_or(STOP) writing with its read orders its later llq.cons and CR0 writes after that
    // write, which aarch64.cat does not: the same clean search is then no proof either.
    [InlineData("cons-advance=any", "msi-power-off=lost", "rmw-write=with-read", VerdictWords.RmwWithReadOnly, false)]
    [InlineData("cons-advance=any", "msi-power-off=lost", "rmw-write=split", VerdictWords.ConsWritebackOnly, false, "cons-writeback=on")]
    public async Task A_clean_search_under_an_SMMU_stricter_than_SMMUv3_is_no_proof(string consAdvance, string msi, string rmw, string verdict, bool msiSurvives,
        string writeback = "cons-writeback=off")
    {
        string file = Tmp("power-cycle.json");
        await File.WriteAllTextAsync(file, """
            { "name": "power-cycle", "queueShift": 3, "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
              "threads": [ { "name": "pm", "program": [ { "op": "suspend" }, { "op": "resume" } ] } ] }
            """);
        var (exit, lines) = await Cli("explore", "--engine", "local", "--set", "loads=armv8", "--set", consAdvance, "--set", msi, "--set", rmw,
            "--set", writeback, "--workload", file, "--strategy", "exhaustive", "--json", Tmp("power-cycle-out.json"), "--out", Tmp("cx"));
        Assert.Equal(0, exit);
        Assert.StartsWith($"{verdict} power-cycle", lines[0]);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("power-cycle-out.json")));
        Assert.Equal(consAdvance != "cons-advance=any", json.RootElement.GetProperty("smmuStricter").GetBoolean());
        Assert.Equal(msiSurvives, json.RootElement.GetProperty("msiSurvivesPowerOff").GetBoolean());
        Assert.Equal(rmw == "rmw-write=with-read", json.RootElement.GetProperty("rmwWritesWithRead").GetBoolean());
        Assert.False(json.RootElement.GetProperty("unknownRegisterReads").GetBoolean());
        Assert.Equal(writeback == "cons-writeback=on", json.RootElement.GetProperty("consWritebackAssumed").GetBoolean());
    }

    /// <summary>
    /// A CMD_SYNC waiting on CONS (sync-mode=cons) while the power manager suspends: with the suspend's quiesce relaxed,
    /// the SMMU may power off while cpu0 still polls CONS, whose value no fact gives then, so the clean search is no
    /// proof; with the quiesce ordered after the drain no execution has such a read, and the search is not flagged (it
    /// stops short of HOLDS at the next assumption, the RMWs' writes landing with their reads).
    /// </summary>
    [Fact]
    public async Task A_clean_search_in_which_a_cpu_read_cons_of_a_powered_off_SMMU_is_no_proof_and_one_without_is_not_flagged()
    {
        string file = Tmp("power-cycle-cons.json");
        await File.WriteAllTextAsync(file, """
            { "name": "power-cycle", "queueShift": 3, "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
              "threads": [ { "name": "pm", "program": [ { "op": "suspend" }, { "op": "resume" } ] },
                           { "name": "cpu0", "program": [ { "op": "sync" } ] } ] }
            """);
        foreach (var (quiesce, unknown) in new[] { ("quiesce-order=relaxed", true), ("quiesce-order=smp-mb", false) })
        {
            var (exit, lines) = await Cli("explore", "--engine", "local", "--set", "loads=armv8", "--set", "cons-advance=any", "--set", "msi-power-off=lost",
                "--set", "sync-mode=cons", "--set", quiesce, "--workload", file, "--strategy", "exhaustive", "--json", Tmp("power-cycle-cons.out.json"),
                "--out", Tmp("cx"));
            Assert.Equal(0, exit);
            Assert.StartsWith($"{(unknown ? VerdictWords.UnknownRegisterOnly : VerdictWords.RmwWithReadOnly)} power-cycle", lines[0]);
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("power-cycle-cons.out.json")));
            Assert.Equal(unknown, json.RootElement.GetProperty("unknownRegisterReads").GetBoolean());
        }
    }

    /// <summary>The drain=sync suspend whose CMD_SYNC never completes: the trace line and the violation name that CMD_SYNC.</summary>
    [Fact]
    public async Task A_drain_by_cmd_sync_that_times_out_names_the_cmd_sync()
    {
        string file = Tmp("unmap-while-suspending.json");
        await File.WriteAllTextAsync(file, SmallScenarios.LoadThenUnmapWhileSuspending);
        var (exit, lines) = await Cli("explore", "--engine", "local", "--variant", "drain-by-sync", "--set", "loads=armv8",
            "--set", "owner-prod-store=relaxed", "--workload", file, "--runs", "20000", "--seed", "5", "--out", Tmp("cx"));
        Assert.Equal(1, exit);
        Assert.Contains(lines, l => l.Contains("pm's suspend: the drain's CMD_SYNC at 2/w0 did not complete within 1 s"));
        Assert.Contains(lines, l => l.Contains("pm: drain: CMD_SYNC at 2/w0 TIMED OUT"));
        Assert.DoesNotContain(lines, l => l.Contains("sync-timeout"));
    }

    /// <summary>
    /// Runs maxSteps cut were not judged for liveness: a campaign every run of which was cut headed itself as clean as
    /// one that judged them all, with the count only on a line beneath. The exit code stays 0.
    /// </summary>
    [Fact]
    public async Task A_random_campaign_cut_by_max_steps_says_so_in_its_headline()
    {
        var (exit, lines) = await Cli("explore", "--engine", "local", "--variant", "recheck-mb", "--workload", RaceWorkload, "--runs", "300", "--max-steps", "50");
        Assert.Equal(0, exit);
        Assert.StartsWith("NO VIOLATION FOUND (random, 300 runs, 300 cut by maxSteps) reviewer-race under recheck-mb", lines[0]);
    }

    [Fact]
    public async Task A_run_cut_by_max_steps_says_so_in_its_headline()
    {
        string file = Tmp("short.json");
        var workload = JsonNode.Parse(File.ReadAllText(RaceWorkload))!.AsObject();
        workload["bounds"] = new JsonObject { ["maxSteps"] = 10 };
        File.WriteAllText(file, workload.ToJsonString());
        var (exit, lines) = await Cli("run", "--engine", "local", "--variant", "recheck-mb", "--workload", file);
        Assert.Equal(0, exit);
        Assert.StartsWith("NO VIOLATION FOUND (random, 1 run, 1 cut by maxSteps) reviewer-race under recheck-mb", lines[0]);
    }

    [Fact]
    public async Task RunAndReplayStartWithTheVerdict()
    {
        var (exit, lines) = await Cli("run", "--engine", "local", "--variant", "recheck-mb", "--workload", RaceWorkload);
        Assert.Equal(0, exit);
        Assert.StartsWith("NO VIOLATION FOUND (random, 1 run) reviewer-race under recheck-mb", lines[0]);

        string file = Tmp("cx.json");
        RaceWitness.Saved().Save(file);
        (exit, lines) = await Cli("replay", file, "--engine", "local");
        Assert.Equal(1, exit);
        Assert.StartsWith("VIOLATED (stale-translation) replaying stale-translation", lines[0]);
    }

    /// <summary>
    /// Replay names the variant by the switches its file sets, as explore's headline did: it printed the preset alone, so a
    /// counterexample explored with --set, or one whose settings were edited to another preset's, read as the bare preset's.
    /// </summary>
    [Fact]
    public async Task ReplayNamesTheVariantByTheSwitchesThatRan()
    {
        var cx = RaceWitness.Saved();
        string file = Tmp("cx.json");
        (cx with { Settings = cx.Settings.Select(s => s.StartsWith("resume-barrier=") ? "resume-barrier=none" : s).ToList() }).Save(file);
        var (_, lines) = await Cli("replay", file, "--engine", "local");
        Assert.Contains(" replaying stale-translation on reviewer-race under as-posted (resume-barrier=none) (", lines[0]);
    }

    /// <summary>
    /// The story is headed by the violation it tells: a file whose kind was edited to one the replay does not show headed a
    /// story of the stale translation "how it happens: deadlock".
    /// </summary>
    [Fact]
    public async Task ReplaysStoryIsHeadedByTheViolationItTells()
    {
        string file = Tmp("cx.json");
        (RaceWitness.Saved() with { Kind = "deadlock" }).Save(file);
        var (exit, lines) = await Cli("replay", file, "--engine", "local");
        Assert.Equal(2, exit);
        Assert.Contains(lines, l => l.StartsWith("how it happens: stale-translation ("));
        Assert.DoesNotContain(lines, l => l.Contains("how it happens: deadlock"));
    }

    /// <summary>A count of one takes the singular: a one-run campaign said "1 runs" in its verdict, summary and progress title.</summary>
    [Fact]
    public async Task A_count_of_one_is_singular()
    {
        using var capture = new ConsoleCapture();
        int exit = await CliApp.RunAsync(["explore", "--engine", "local", "--variant", "recheck-mb", "--workload", RaceWorkload, "--runs", "1", "--out", Tmp("cx")]);
        Assert.Equal(0, exit);
        Assert.StartsWith("NO VIOLATION FOUND (random, 1 run) reviewer-race", capture.OutLines[0]);
        Assert.StartsWith("1 run (seed 1), ", capture.OutLines[1]);
        Assert.Contains("1 random run on the local engine", capture.Err);
        Assert.DoesNotContain("1 runs", capture.Out + capture.Err);
    }

    [Fact]
    public async Task VariantAllEndsWithOneLinePerVariant()
    {
        var (_, lines) = await Cli("explore", "--engine", "local", "--variant", "all", "--workload", RaceWorkload, "--runs", "50", "--out", Tmp("cx"));
        var presets = Variants.Presets.Select(p => p.Name).ToList();
        var table = lines[^(presets.Count + 1)..^1];
        Assert.Equal(presets, table.Select(l => l.Split('│', StringSplitOptions.TrimEntries)[1]));
        Assert.All(table, l => Assert.Matches("VIOLATED|NO VIOLATION FOUND", l));
    }

    [Fact]
    public async Task ASearchStoppedByItsTimeoutSaysIncompleteWithExit3()
    {
        // full-queue under loads=armv8 runs for minutes to its 5,000,000 states, so 0.2 s stops it on any machine. reviewer-race's
        // 2 million states were all searched in 4.4 s on two cores here, twenty times the timeout, and fewer on more cores.
        var (exit, lines) = await Cli("explore", "--engine", "local", "--variant", "gate-outside-cas", "--set", "loads=armv8", "--workload", TestPaths.Scenario("full-queue.json"),
            "--strategy", "exhaustive", "--timeout", "0.2", "--json", Tmp("t.json"), "--out", Tmp("cx"));
        Assert.Equal(3, exit);
        Assert.StartsWith("INCOMPLETE (stopped by --timeout 0.2 s)", lines[0]);
        Assert.Equal(SummaryView.TimeoutHint, lines[2]);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("t.json")));
        Assert.Equal("--timeout 0.2 s", json.RootElement.GetProperty("incompleteReason").GetString());
        Assert.False(json.RootElement.GetProperty("exhausted").GetBoolean());
    }

    /// <summary>
    /// Under loads=armv8 a driver op waits for the thread's earlier `load` ops, which Arm requires only with a full
    /// barrier between: a clean search of such a workload says so rather than HOLDS, and the JSON carries the flag. With
    /// smp_mb between, the model is exact there and the answer is HOLDS.
    /// </summary>
    [Theory]
    [InlineData("", false)]
    [InlineData("{ \"op\": \"smp_mb\" },", true)]
    public async Task ADriverOpAfterAWorkloadLoadIsNoProofUnlessABarrierOrdersIt(string barrier, bool holds)
    {
        string workload = Tmp("load-sync.json");
        File.WriteAllText(workload, $$"""
            { "name": "load-sync", "queueShift": 3, "vars": ["x"],
              "threads": [
                { "name": "cpu0", "program": [ { "op": "load", "var": "x" }, {{barrier}} { "op": "sync" } ] },
                { "name": "cpu1", "program": [ { "op": "store", "var": "x", "value": 1 } ] } ],
              "delays": { "min": 1, "max": 1, "menu": [1], "maxDelayed": 0 } }
            """);
        var (exit, lines) = await Cli("explore", "--engine", "local", "--workload", workload, "--set", "loads=armv8", "--set", "cons-advance=any", "--set", "rmw-write=split",
            "--strategy", "exhaustive", "--json", Tmp("load-sync-out.json"), "--out", Tmp("cx"));
        Assert.Equal(0, exit);
        Assert.StartsWith(holds ? "HOLDS load-sync" : $"{VerdictWords.WorkloadLoadsWaitOnly} load-sync", lines[0]);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("load-sync-out.json")));
        Assert.Equal(!holds, json.RootElement.GetProperty("workloadLoadsWait").GetBoolean());
        Assert.Equal(holds ? "HOLDS" : VerdictWords.WorkloadLoadsWaitOnly, json.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task ASearchStoppedByMaxStatesSaysIncompleteWithExit3AndTheBound()
    {
        // recheck-mb's search closes clean at 40,998 states under the workload's own bound.
        var (exit, lines) = await Cli("explore", "--engine", "local", "--variant", "recheck-mb", "--workload", RaceWorkload,
            "--strategy", "exhaustive", "--max-states", "1000", "--json", Tmp("m.json"), "--out", Tmp("cx"));
        Assert.Equal(3, exit);
        Assert.StartsWith("INCOMPLETE (stopped by maxStates (1000))", lines[0]);
        Assert.Equal(SummaryView.BoundHint, lines[2]);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("m.json")));
        Assert.Equal("maxStates (1000)", json.RootElement.GetProperty("incompleteReason").GetString());
        Assert.Equal("INCOMPLETE (stopped by maxStates (1000))", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(1000, json.RootElement.GetProperty("statesExplored").GetInt64());
    }

    [Fact]
    public async Task MaxStatesRaisesTheWorkloadsOwnBoundAndTravelsWithTheCounterexample()
    {
        // The same workload with a bound of 1,000 states: as posted, its search stops there; --max-states lets it close.
        string bounded = Tmp("bounded.json");
        File.WriteAllText(bounded, WorkloadEdit.WithMaxStates(File.ReadAllText(RaceWorkload), 1000));
        var (exit, lines) = await Cli("explore", "--engine", "local", "--variant", "as-posted", "--workload", bounded, "--strategy", "exhaustive",
            "--out", Tmp("cx0"));
        Assert.Equal(3, exit);
        Assert.StartsWith("INCOMPLETE (stopped by maxStates (1000))", lines[0]);

        (exit, lines) = await Cli("explore", "--engine", "local", "--variant", "as-posted", "--workload", bounded, "--strategy", "exhaustive",
            "--max-states", "30000", "--out", Tmp("cx"));
        Assert.Equal(1, exit);
        Assert.StartsWith("VIOLATED (stale-translation) reviewer-race under as-posted", lines[0]);
        Assert.Contains("22,229 distinct states", lines[1]);
        // The counterexample embeds the workload as searched, bound included.
        var saved = Counterexample.Load(Directory.GetFiles(Tmp("cx"), "*.json").Single());
        Assert.Equal(30000, WorkloadLoader.Parse(saved.WorkloadText, bounded).Bounds.MaxStates);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1000000001")]
    public async Task MaxStatesOutOfRangeIsBadInputAndWritesNothing(string value)
    {
        var (exit, _) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--max-states", value,
            "--out", Tmp("cx"));
        Assert.Equal(2, exit);
        Assert.False(Directory.Exists(Tmp("cx")));
    }

    /// <summary>
    /// --max-steps bounds a search by each state's distance from the start: reviewer-race as posted is 140 deliveries deep
    /// and its race is first seen 107 deliveries in, so at 60 the search stops short of both (INCOMPLETE, exit 3, nothing
    /// saved) with its depth at the bound, and at 142 it closes as under the workload's own bound; the counterexample
    /// embeds the bound it was searched with.
    /// </summary>
    [Fact]
    public async Task MaxStepsBoundsASearchByDepthAndTravelsWithTheCounterexample()
    {
        var (exit, lines) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--max-steps", "60",
            "--json", Tmp("d.json"), "--out", Tmp("cx0"));
        Assert.Equal(3, exit);
        Assert.StartsWith("INCOMPLETE (stopped by maxSteps (60)", lines[0]);
        Assert.Equal(SummaryView.BoundHint, lines[2]);
        using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("d.json"))))
        {
            Assert.Equal(60, json.RootElement.GetProperty("depth").GetInt32());
            Assert.InRange(json.RootElement.GetProperty("statesExplored").GetInt64(), 2, 22_228);
        }
        Assert.False(Directory.Exists(Tmp("cx0")));

        (exit, lines) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--max-steps", "142",
            "--out", Tmp("cx"));
        Assert.Equal(1, exit);
        Assert.StartsWith("22,229 distinct states, 42,203 transitions, depth 140,", lines[1]);
        var saved = Counterexample.Load(Directory.GetFiles(Tmp("cx"), "*.json").Single());
        Assert.Equal(142, WorkloadLoader.Parse(saved.WorkloadText, RaceWorkload).Bounds.MaxSteps);
    }

    /// <summary>A random run stops at --max-steps too, and one stopped there is counted as not judged for liveness.</summary>
    [Fact]
    public async Task MaxStepsCutsRandomRuns()
    {
        var (exit, lines) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--runs", "200", "--max-steps", "40",
            "--json", Tmp("r.json"), "--out", Tmp("cx"));
        Assert.Equal(0, exit);
        Assert.Contains("200 runs hit maxSteps and were not judged for liveness", lines);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("r.json")));
        Assert.Equal(200, json.RootElement.GetProperty("truncated").GetInt64());
    }

    [Theory]
    [InlineData("9")]
    [InlineData("-1")]
    [InlineData("100000001")]
    public async Task MaxStepsOutOfRangeIsBadInputAndWritesNothing(string value)
    {
        using var capture = new ConsoleCapture();
        int exit = await CliApp.RunAsync(["explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--max-steps", value,
            "--json", Tmp("s.json"), "--out", Tmp("cx")]);
        Assert.Equal(2, exit);
        Assert.Contains($"--max-steps: {value} is not a number of deliveries from 10 to 100,000,000", capture.Err);
        Assert.False(File.Exists(Tmp("s.json")));
        Assert.False(Directory.Exists(Tmp("cx")));
    }

    /// <summary>
    /// --stop-at-first answers a broken variant whose whole space is out of reach: full-queue under gate-outside-cas passes
    /// its 5,000,000-state bound searched whole, and stopped at its first violation it says VIOLATED with that kind's
    /// counterexample, which replays, and INCOMPLETE with the reason; it searches on one worker unless told otherwise.
    /// </summary>
    [Fact]
    public async Task StopAtFirstAnswersABrokenVariantAtItsFirstViolation()
    {
        var (exit, lines) = await Cli("explore", "--engine", "local", "--variant", "gate-outside-cas", "--workload", TestPaths.Scenario("full-queue.json"),
            "--strategy", "exhaustive", "--stop-at-first", "--json", Tmp("f.json"), "--out", Tmp("cx"));
        Assert.Equal(1, exit);
        // Oldest delivery first, the search meets the corrupted queue 245 states in (docs/model.md).
        Assert.StartsWith("VIOLATED (queue-invariant) full-queue under gate-outside-cas", lines[0]);
        Assert.StartsWith("245 distinct states,", lines[1]);
        Assert.Contains("space INCOMPLETE (stopped by the first violation met (--stop-at-first))", lines[1]);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("f.json")));
        Assert.Equal(SearchLimits.FirstFoundReason, json.RootElement.GetProperty("incompleteReason").GetString());
        // One worker unless told otherwise: several would search again on one.
        Assert.Equal("this process, one worker thread", json.RootElement.GetProperty("ranOn").GetProperty("where").GetString());
        var file = json.RootElement.GetProperty("counterexamples")[0].GetProperty("file").GetString()!;
        var (replayed, _) = await Cli("replay", file, "--engine", "local");
        Assert.Equal(1, replayed);
    }

    [Theory]
    [InlineData("random", "local", "--stop-at-first: an exhaustive search only")]
    [InlineData("exhaustive", "grains", "--stop-at-first: the local engine only")]
    public async Task StopAtFirstElsewhereIsBadInput(string strategy, string engine, string message)
    {
        using var capture = new ConsoleCapture();
        int exit = await CliApp.RunAsync(["explore", "--engine", engine, "--workload", RaceWorkload, "--strategy", strategy, "--stop-at-first",
            "--out", Tmp("cx")]);
        Assert.Equal(2, exit);
        Assert.Contains(message, capture.Err);
        Assert.False(Directory.Exists(Tmp("cx")));
    }

    [Theory]
    [InlineData("--runs", "10", "exhaustive")]
    [InlineData("--timeout", "5", "random")]
    [InlineData("--max-states", "10", "random")]
    public async Task BoundsOfTheOtherStrategyAreBadInput(string option, string value, string strategy)
    {
        var (exit, _) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", strategy, option, value, "--out", Tmp("cx"));
        Assert.Equal(2, exit);
        Assert.False(Directory.Exists(Tmp("cx")));
    }

    [Fact]
    public async Task ASearchWithoutTheReductionSaysSoAndFindsTheSameKinds()
    {
        var (exit, lines) = await Cli("explore", "--engine", "local", "--variant", "as-posted", "--workload", RaceWorkload, "--strategy", "exhaustive",
            "--no-reduction", "--json", Tmp("u.json"), "--out", Tmp("cx"));
        Assert.Equal(1, exit);
        Assert.StartsWith("VIOLATED (stale-translation) reviewer-race under as-posted", lines[0]);
        Assert.Contains("exhaustive strategy without reduction", lines[0]);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("u.json")));
        Assert.True(json.RootElement.GetProperty("unreduced").GetBoolean());
        // The reduced search takes 22,229 states.
        Assert.True(json.RootElement.GetProperty("statesExplored").GetInt64() > 22_229);
    }

    /// <summary>
    /// unmasked-flags corrupts the queue (STOP in the PROD register) and shows the stale translation as posted does; ended at
    /// its first violation, the search stops each execution at the corruption, so it takes fewer of the whole search's 22,996
    /// states and lists no kind that one does not.
    /// </summary>
    [Fact]
    public async Task AFirstViolationSearchSaysSoAndListsOnlyKindsTheWholeSearchFinds()
    {
        var (exit, lines) = await Cli("explore", "--engine", "local", "--variant", "unmasked-flags", "--workload", RaceWorkload, "--strategy", "exhaustive",
            "--first-violation", "--json", Tmp("f.json"), "--out", Tmp("cx"));
        Assert.Equal(1, exit);
        Assert.StartsWith("VIOLATED (", lines[0]);
        Assert.Contains("exhaustive strategy to each execution's first violation", lines[0]);
        Assert.Contains("space EXHAUSTED (every delivery order the ordering rules allow, each execution up to its first violation", lines[1]);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("f.json")));
        Assert.True(json.RootElement.GetProperty("firstViolation").GetBoolean());
        Assert.True(json.RootElement.GetProperty("statesExplored").GetInt64() < 22_996);
        var kinds = json.RootElement.GetProperty("violationsByKind").EnumerateObject().Select(p => p.Name).ToList();
        Assert.NotEmpty(kinds);
        Assert.Subset(new HashSet<string> { "queue-invariant", "stale-translation" }, kinds.ToHashSet());
    }

    [Fact]
    public async Task FirstViolationOutsideTheSearchIsBadInput()
    {
        var (exit, _) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "random", "--first-violation", "--out", Tmp("cx"));
        Assert.Equal(2, exit);
        Assert.False(Directory.Exists(Tmp("cx")));
    }

    [Theory]
    [InlineData("random", "local")]
    [InlineData("exhaustive", "grains")]
    public async Task NoReductionOutsideTheLocalSearchIsBadInput(string strategy, string engine)
    {
        var (exit, _) = await Cli("explore", "--engine", engine, "--workload", RaceWorkload, "--strategy", strategy, "--no-reduction", "--out", Tmp("cx"));
        Assert.Equal(2, exit);
        Assert.False(Directory.Exists(Tmp("cx")));
    }

    [Theory]
    [InlineData("exhaustive", "local", "0")]
    [InlineData("exhaustive", "local", "65")]
    [InlineData("exhaustive", "local", "two")]
    [InlineData("random", "local", "2")]
    [InlineData("exhaustive", "grains", "2")]
    public async Task WorkersOutsideTheLocalSearchOrOutOfRangeAreBadInput(string strategy, string engine, string workers)
    {
        var (exit, _) = await Cli("explore", "--engine", engine, "--workload", RaceWorkload, "--strategy", strategy, "--workers", workers, "--out", Tmp("cx"));
        Assert.Equal(2, exit);
        Assert.False(Directory.Exists(Tmp("cx")));
    }

    /// <summary>
    /// On one worker and on three, the same answer: the summary's figures and every counterexample file, byte for byte
    /// (a counterexample holds the shortest path's picks, which are a function of the graph, not of the order the
    /// workers reached its states in). gate-outside-cas: six kinds, liveness ones among them.
    /// </summary>
    [Fact]
    public async Task OneWorkerAndThreeGiveTheSameAnswerAndCounterexamples()
    {
        var summaries = new List<System.Text.Json.JsonElement>();
        foreach (var workers in new[] { "1", "3" })
        {
            var (exit, lines) = await Cli("explore", "--engine", "local", "--variant", "gate-outside-cas", "--workload", RaceWorkload, "--strategy", "exhaustive",
                "--workers", workers, "--json", Tmp($"w{workers}.json"), "--out", Tmp($"cx{workers}"));
            Assert.Equal(1, exit);
            Assert.Contains(lines, l => l.Contains(workers == "1" ? "this process, one worker thread" : "this process, 3 worker threads"));
            // The same line gives what the process has cost, as the JSON's `process` does.
            var process = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp($"w{workers}.json"))).RootElement.GetProperty("process");
            Assert.Contains(lines, l => l.Contains($"this process so far: {process.GetProperty("peakResidentMiB").GetInt64():N0} MiB resident at most"));
            summaries.Add(System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp($"w{workers}.json"))).RootElement);
        }
        foreach (var field in new[] { "statesExplored", "transitions", "depth", "finalStates", "exhausted", "violationsByKind", "outcomes", "branchesReached" })
            Assert.Equal(summaries[0].GetProperty(field).GetRawText(), summaries[1].GetProperty(field).GetRawText());
        var files = summaries.Select(s => s.GetProperty("counterexamples").EnumerateArray().Select(c => c.GetProperty("file").GetString()!).ToList()).ToList();
        Assert.Equal(6, files[0].Count);
        Assert.Equal(files[0].Select(Path.GetFileName), files[1].Select(Path.GetFileName));
        for (int i = 0; i < files[0].Count; i++) Assert.Equal(File.ReadAllText(files[0][i]), File.ReadAllText(files[1][i]));
    }

    [Fact]
    public void A_campaigns_verdict_is_worded_as_explores()
    {
        Assert.Equal("VIOLATED (lost-command, sync-timeout)", VerdictWords.OfCampaign(["sync-timeout", "lost-command"], 100, 100, cancelled: false, truncated: 0));
        Assert.Equal("NO VIOLATION FOUND (random, 100 runs)", VerdictWords.OfCampaign([], 100, 100, cancelled: false, truncated: 0));
        Assert.Equal("NO VIOLATION FOUND (random, 100 runs, 100 cut by maxSteps)", VerdictWords.OfCampaign([], 100, 100, cancelled: false, truncated: 100));
        Assert.Equal("INCOMPLETE: cancelled after 40 of 100 runs done, found deadlock", VerdictWords.OfCampaign(["deadlock"], 40, 100, cancelled: true, truncated: 0));
    }

    [Fact]
    public void AnExhaustiveSearchStoppedAtABoundIsIncomplete()
    {
        var s = new ExploreSummary("as-posted", [], "w", "exhaustive", "local", 0, 10, 10, Exhausted: false, 0,
            new Dictionary<string, long>(), [], new Dictionary<string, long>(), [], [], 0, IncompleteReason: "maxStates (10)");
        Assert.Equal("INCOMPLETE (stopped by maxStates (10))", VerdictWords.Of(s));
        Assert.Equal("HOLDS", VerdictWords.Of(s with { Exhausted = true, IncompleteReason = null }));
        Assert.Equal(VerdictWords.InOrderOnly, VerdictWords.Of(s with { Exhausted = true, IncompleteReason = null, LoadsInOrder = true }));
        Assert.Equal(VerdictWords.OwnerProdNewestOnly, VerdictWords.Of(s with { Exhausted = true, IncompleteReason = null, OwnerProdWaitsNewest = true }));
        Assert.Equal(VerdictWords.WorkloadLoadsWaitOnly, VerdictWords.Of(s with { Exhausted = true, IncompleteReason = null, WorkloadLoadsWait = true }));
        Assert.Equal(VerdictWords.ValidMapNewestOnly, VerdictWords.Of(s with { Exhausted = true, IncompleteReason = null, ValidMapPollNewest = true }));
        Assert.Equal(VerdictWords.StricterSmmuOnly, VerdictWords.Of(s with { Exhausted = true, IncompleteReason = null, SmmuStricter = true }));
        Assert.Equal(VerdictWords.MsiSurvivesOnly, VerdictWords.Of(s with { Exhausted = true, IncompleteReason = null, MsiSurvivesPowerOff = true }));
        Assert.Equal(VerdictWords.RmwWithReadOnly, VerdictWords.Of(s with { Exhausted = true, IncompleteReason = null, RmwWritesWithRead = true }));
        Assert.Equal(VerdictWords.UnknownRegisterOnly, VerdictWords.Of(s with { Exhausted = true, IncompleteReason = null, UnknownRegisterReads = true }));
        Assert.Equal("VIOLATED (lost-command, sync-timeout)", VerdictWords.Of(s with { ViolationsByKind = new Dictionary<string, long> { ["sync-timeout"] = 1, ["lost-command"] = 2 } }));
    }

    /// <summary>
    /// The exit code follows the summaries printed, not whether a stop was asked for at some point: a stop that lands
    /// after the last variant was explored (CI saw one land while the stories were being printed, after every witness was
    /// shrunk) leaves a complete VIOLATED summary, and so exit 1, not 3.
    /// </summary>
    [Fact]
    public void TheExitCodeIsTheSummariesAnswer()
    {
        var clean = new ExploreSummary("as-posted", [], "w", "random", "local", 0, 10, 10, Exhausted: false, 0,
            new Dictionary<string, long>(), [], new Dictionary<string, long>(), [], [], 0);
        var violated = clean with { ViolationsByKind = new Dictionary<string, long> { ["lost-command"] = 1 } };
        Assert.Equal(0, ExploreCommand.ExitCode([clean], 1));
        Assert.Equal(1, ExploreCommand.ExitCode([violated], 1));
        Assert.Equal(1, ExploreCommand.ExitCode([clean, violated], 2));
        // Cut short by the stop: a variant cancelled, or not reached; even a violation found is part of the answer only.
        Assert.Equal(SmmuActors.Client.Cli.Incomplete, ExploreCommand.ExitCode([violated with { IncompleteReason = VerdictWords.Cancelled }], 1));
        Assert.Equal(SmmuActors.Client.Cli.Incomplete, ExploreCommand.ExitCode([violated], 2));
        // Cut short by a bound: a violation is still an answer, a clean search is not.
        Assert.Equal(1, ExploreCommand.ExitCode([violated with { IncompleteReason = "maxStates (10)" }], 1));
        Assert.Equal(SmmuActors.Client.Cli.Incomplete, ExploreCommand.ExitCode([clean with { IncompleteReason = "maxStates (10)" }], 1));
    }

    /// <summary>
    /// Under gate-outside-cas the search's witnesses go on past other kinds (lost-command's path shows a queue-invariant
    /// first): each counterexample's story, on the console and in the HTML report, ends at its own kind's violation.
    /// </summary>
    [Fact]
    public async Task EachStoryEndsAtItsOwnKind()
    {
        var (exit, lines) = await Cli(["explore", "--engine", "local", "--variant", "gate-outside-cas", "--workload", RaceWorkload,
            "--strategy", "exhaustive", "--out", Tmp("cx"), "--report", Tmp("report")]);
        Assert.Equal(1, exit);
        const string Head = "how it happens: ";
        var stories = lines.Select((l, i) => (Line: l, At: i)).Where(x => x.Line.StartsWith(Head))
            .Select(x => (Kind: x.Line[Head.Length..x.Line.IndexOf(' ', Head.Length)], Last: x.At + int.Parse(x.Line[(x.Line.IndexOf('(') + 1)..x.Line.IndexOf(" lines")])))
            .ToList();
        Assert.True(stories.Count >= 4, string.Join("\n", lines));
        var html = File.ReadAllText(Path.Combine(Tmp("report"), "index.html"));
        foreach (var (kind, last) in stories)
        {
            Assert.Contains($"VIOLATION {kind}", lines[last]);
            int section = html.IndexOf($"<span class=\"bad\">{kind}</span>", StringComparison.Ordinal);
            Assert.True(section >= 0, kind);
            int story = html.IndexOf("<ol class=\"story\">", section, StringComparison.Ordinal);
            string items = html[story..html.IndexOf("</ol>", story, StringComparison.Ordinal)];
            Assert.Contains($"VIOLATION {kind}", items[items.LastIndexOf("<li", StringComparison.Ordinal)..]);
        }
    }

    /// <summary>
    /// The same search on the local engine and split over an embedded silo's partitions: the same summary, counts
    /// included (the column says what a search counts), and the same counterexample files, byte for byte. Under
    /// gate-outside-cas the two used to count 28 and 23 commit-after-drain transitions and save different lost-command and
    /// sync-timeout witnesses of the same length.
    /// </summary>
    [Fact]
    public async Task BothEnginesSearchToTheSameCountsAndCounterexamples()
    {
        var files = new Dictionary<string, Dictionary<string, string>>();
        var tables = new Dictionary<string, string[]>();
        foreach (var engine in new[] { "local", "grains" })
        {
            var (exit, lines) = await Cli(["explore", "--engine", engine, "--variant", "gate-outside-cas", "--workload", RaceWorkload,
                "--strategy", "exhaustive", "--out", Tmp(engine)]);
            Assert.Equal(1, exit);
            tables[engine] = lines.Where(l => l.StartsWith('│') || l.StartsWith("counted: ")).ToArray();
            files[engine] = Directory.GetFiles(Tmp(engine), "*.json").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        }
        Assert.Contains(tables["local"], l => l.Contains("transitions / states"));
        Assert.Contains(tables["local"], l => l.StartsWith("counted: "));
        Assert.Equal(tables["local"], tables["grains"]);
        Assert.Equal(6, files["local"].Count);
        Assert.Equal(files["local"].Keys.Order(), files["grains"].Keys.Order());
        foreach (var (name, text) in files["local"]) Assert.True(text == files["grains"][name], $"{name} differs between the engines");
    }
}
