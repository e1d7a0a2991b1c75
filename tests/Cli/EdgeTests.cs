using System.Text.Json;
using SmmuActors.Client;
using SmmuActors.Model.Exploration;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Cli;

/// <summary>The CLI at its edges: output paths checked before any work, defaults said, bad files blamed precisely.</summary>
[Collection("cli")]
[Trait("Suite", "Cli")]
public class EdgeTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-edge-").FullName;
    static readonly string RaceWorkload = TestPaths.Scenario("reviewer-race.json");

    public EdgeTests() => File.WriteAllText(Tmp("afile"), "in the way");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Tmp(string name) => Path.Combine(_dir, name);

    static async Task<(int Exit, ConsoleCapture Output)> Cli(params string[] args)
    {
        using var capture = new ConsoleCapture();
        return (await CliApp.RunAsync(args), capture);
    }

    /// <summary>
    /// A pin scripts one delay, which shapes a random run but not a search that takes every order: the search says so rather
    /// than leave the user to think the pin was explored (found by a new user's walkthrough), and counts as many states as
    /// without it; a random campaign of the same workload says nothing.
    /// </summary>
    [Fact]
    public async Task An_exhaustive_search_says_a_workloads_pins_change_nothing()
    {
        var workload = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RaceWorkload))!.AsObject();
        workload.Remove("$schema");
        workload["pins"] = System.Text.Json.Nodes.JsonNode.Parse("""[ { "from": "cpu0", "message": "store pte", "nth": 1, "delay": 500 } ]""");
        File.WriteAllText(Tmp("pinned.json"), workload.ToJsonString());
        var (exit, output) = await Cli("explore", "--engine", "local", "--workload", Tmp("pinned.json"), "--strategy", "exhaustive", "--variant", "recheck-mb",
            "--json", Tmp("pinned-search.json"), "--out", Tmp("cx"));
        Assert.Equal(0, exit);
        Assert.Contains("note: the workload's 1 pin(s) apply to run and random campaigns", output.Err);
        var (plainExit, plain) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--variant", "recheck-mb",
            "--json", Tmp("plain-search.json"), "--out", Tmp("cx"));
        Assert.Equal(0, plainExit);
        Assert.DoesNotContain("pin", plain.Err);
        static long States(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("statesExplored").GetInt64();
        Assert.Equal(States(Tmp("plain-search.json")), States(Tmp("pinned-search.json")));
        var (randomExit, random) = await Cli("explore", "--engine", "local", "--workload", Tmp("pinned.json"), "--runs", "20", "--out", Tmp("cx"));
        Assert.True(randomExit is 0 or 1);
        Assert.DoesNotContain("pin", random.Err);
    }

    /// <summary>
    /// A --set that takes back what the preset is named for: the answer goes by the name of the variant searched (as-posted
    /// searched as recheck-mb's was VIOLATED under recheck-mb, as if the reviewer's fix failed), says so, and under
    /// --variant all a preset that became another, or the same variant as another, is explored once.
    /// </summary>
    [Fact]
    public async Task A_preset_taken_back_by_set_goes_by_the_name_of_what_it_is()
    {
        var (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--variant", "recheck-mb",
            "--set", "elide-recheck=none", "--json", Tmp("one.json"), "--out", Tmp("cx"));
        Assert.Equal(1, exit);
        // recheck-mb re-checks at both of v8's STOP reads; without the CAS loop's re-check it is early-elide-mb.
        Assert.Contains("recheck-mb with elide-recheck=none is early-elide-mb", output.Err);
        Assert.StartsWith("VIOLATED (stale-translation) reviewer-race under early-elide-mb (early-elide=mb),", output.OutLines[0]);
        var one = JsonDocument.Parse(File.ReadAllText(Tmp("one.json"))).RootElement;
        Assert.Equal("early-elide-mb", one.GetProperty("variant").GetString());
        Assert.True(File.Exists(Tmp("cx/early-elide-mb-reviewer-race-stale-translation.json")));

        (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--variant", "all",
            "--set", "stop-gate=none", "--set", "early-elide=off", "--out", Tmp("cx"));
        Assert.Equal(1, exit);
        Assert.Contains("gate-outside-cas with stop-gate=none early-elide=off is no-gate, explored once", output.Err);
        Assert.Single(output.OutLines, l => l.Contains(" reviewer-race under no-gate "));
        Assert.DoesNotContain(output.OutLines, l => l.Contains(" under gate-outside-cas "));
        // as-posted with those is no-gate's variant too: it was explored again as "as-posted (stop-gate=none)".
        Assert.Contains("as-posted with stop-gate=none early-elide=off is no-gate, explored once", output.Err);
        Assert.DoesNotContain(output.OutLines, l => l.Contains(" under as-posted (stop-gate=none early-elide=off)"));
    }

    /// <summary>
    /// A counterexample that cannot be written (here a directory in its file's place) costs neither the verdict nor the
    /// --json: explore printed nothing but the error and wrote no JSON. Now the verdict, the JSON (which says it was not
    /// saved) and the other kinds' files are written, the failure is named last, and the exit is 2.
    /// </summary>
    [Fact]
    public async Task A_counterexample_that_cannot_be_saved_costs_neither_the_verdict_nor_the_json()
    {
        Directory.CreateDirectory(Tmp("cx/gate-outside-cas-reviewer-race-stale-translation.json"));
        var (exit, output, cxs) = await GateOutsideCasInto("cx");
        Assert.Equal(2, exit);
        Assert.Contains(output.OutLines, l => l.Contains("stale-translation: ") && l.Contains("not saved: "));
        Assert.Contains("error: the stale-translation counterexample was not saved: ", output.Err);
        var unsaved = Assert.Single(cxs, c => c.TryGetProperty("notSaved", out _));
        Assert.Equal("stale-translation", unsaved.GetProperty("kind").GetString());
        Assert.False(unsaved.TryGetProperty("file", out _));
        Assert.False(unsaved.TryGetProperty("replay", out _));
        // Nothing of its own: its chart was not drawn either; every other kind saved both.
        Assert.False(File.Exists(Tmp("cx/gate-outside-cas-reviewer-race-stale-translation.svg")));
        foreach (var c in cxs.Where(c => c.TryGetProperty("file", out _)))
        {
            Assert.True(File.Exists(c.GetProperty("file").GetString()));
            Assert.True(File.Exists(c.GetProperty("chart").GetString()));
        }
    }

    /// <summary>
    /// A chart that cannot be written leaves its counterexample saved, and says so: it was taken back, which could only
    /// delete the file a link pointed to, or an earlier search's counterexample the save had just replaced.
    /// </summary>
    [Fact]
    public async Task A_chart_that_cannot_be_saved_leaves_its_counterexample_saved_and_says_so()
    {
        File.WriteAllText(Tmp("elsewhere.json"), "the earlier counterexample");
        Directory.CreateDirectory(Tmp("cx"));
        File.CreateSymbolicLink(Tmp("cx/gate-outside-cas-reviewer-race-stale-translation.json"), Tmp("elsewhere.json"));
        Directory.CreateDirectory(Tmp("cx/gate-outside-cas-reviewer-race-stale-translation.svg"));
        var (exit, output, cxs) = await GateOutsideCasInto("cx");
        Assert.Equal(2, exit);
        Assert.Contains(output.OutLines, l => l.Contains("stale-translation: ") && l.Contains("chart not saved: "));
        Assert.Contains("error: the stale-translation counterexample's chart was not saved: ", output.Err);
        var half = Assert.Single(cxs, c => c.TryGetProperty("chartNotSaved", out _));
        string file = half.GetProperty("file").GetString()!;
        Assert.False(half.TryGetProperty("chart", out _));
        Assert.Equal($"smmu-actors replay {file}", half.GetProperty("replay").GetString());
        // The link stays and its file holds the new counterexample, which replays.
        Assert.NotNull(new FileInfo(file).LinkTarget);
        Assert.Equal("stale-translation", Counterexample.Load(Tmp("elsewhere.json")).Kind);
        Assert.Equal(1, (await Cli("replay", file, "--engine", "local")).Exit);
    }

    async Task<(int Exit, ConsoleCapture Output, List<JsonElement> Counterexamples)> GateOutsideCasInto(string dir)
    {
        var (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--variant", "gate-outside-cas",
            "--out", Tmp(dir), "--json", Tmp("out.json"));
        Assert.StartsWith("VIOLATED (commit-after-drain, drain-timeout, lost-command, queue-invariant, stale-translation, sync-timeout) reviewer-race under gate-outside-cas",
            output.OutLines[0]);
        var cxs = JsonDocument.Parse(File.ReadAllText(Tmp("out.json"))).RootElement.GetProperty("counterexamples").EnumerateArray().ToList();
        Assert.Equal(6, cxs.Count);
        return (exit, output, cxs);
    }

    /// <summary>
    /// The same preset searched again with a --set into the same --out keeps both counterexamples: the second, under
    /// Armv8's loads, was saved over the first, in-order one, under the same name, and replay found only the last.
    /// </summary>
    [Fact]
    public async Task A_search_under_other_switches_keeps_the_first_searchs_counterexample()
    {
        var (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--variant", "as-posted",
            "--out", Tmp("cx"));
        Assert.Equal(1, exit);
        string inOrder = Tmp("cx/as-posted-reviewer-race-stale-translation.json");
        Assert.Contains($"saved to {Path.Combine(Tmp("cx"), "as-posted-reviewer-race-stale-translation.json")}", output.Out);
        string first = File.ReadAllText(inOrder);

        (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--variant", "as-posted",
            "--set", "loads=armv8", "--out", Tmp("cx"));
        Assert.Equal(1, exit);
        string armv8 = Tmp("cx/as-posted+loads=armv8-reviewer-race-stale-translation.json");
        Assert.Contains($"replay: smmu-actors replay {armv8}", output.Out);
        Assert.Equal(first, File.ReadAllText(inOrder));
        Assert.Contains("\"loads=armv8\"", File.ReadAllText(armv8));
        Assert.DoesNotContain("\"loads=armv8\"", first);
        (exit, output) = await Cli("replay", armv8, "--engine", "local");
        Assert.Equal(1, exit);
        Assert.StartsWith("VIOLATED (stale-translation) replaying stale-translation on reviewer-race under as-posted (loads=armv8)", output.OutLines[0]);
        Assert.Contains("trace hash matches the recording", output.Out);
    }

    /// <summary>
    /// A --set that acts only under another switch's value, which no variant explored has, is said to change nothing (the
    /// label still carries it); under --variant all, where one preset has that value, it acts there and nothing is said.
    /// </summary>
    [Fact]
    public async Task A_set_that_changes_nothing_is_said_to()
    {
        var (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--runs", "3", "--set", "rmw-write=split", "--out", Tmp("cx"));
        Assert.Equal(0, exit);
        Assert.Contains("warning: --set rmw-write=split changes nothing here: it acts only under loads=armv8 (--set loads=armv8)", output.Err);
        (exit, output) = await Cli("run", "--engine", "local", "--workload", RaceWorkload, "--set", "rmw-write=split", "--set", "loads=armv8");
        Assert.InRange(exit, 0, 1);
        Assert.DoesNotContain("changes nothing", output.Err);
        // The timeline's last line names the trace hash as such: "trace HASH" beside a traced run's "trace id ID" was taken for it.
        Assert.Matches(@"\d+ steps, virtual time \d+, trace hash [0-9a-f]{32}", output.Out);
        (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--variant", "all", "--runs", "3", "--set", "cons-read=readl-relaxed", "--out", Tmp("cx"));
        Assert.DoesNotContain("changes nothing", output.Err);
    }

    /// <summary>
    /// A preset with --set is named on stderr as the header names it: `run` said nothing of a preset a --set made another,
    /// and explore's progress named the preset without the switches --set added.
    /// </summary>
    [Fact]
    public async Task A_preset_with_set_is_named_alike_on_stderr_and_stdout()
    {
        var (exit, output) = await Cli("run", "--engine", "local", "--workload", RaceWorkload, "--variant", "recheck-mb", "--set", "elide-recheck=none");
        Assert.Equal(0, exit);
        Assert.Contains("recheck-mb with elide-recheck=none is early-elide-mb", output.Err);
        Assert.Contains("running reviewer-race under early-elide-mb (early-elide=mb) on the local engine", output.Err);
        Assert.Contains(" reviewer-race under early-elide-mb (early-elide=mb), seed 1", output.OutLines[0]);

        (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--variant", "recheck-mb", "--set", "loads=armv8",
            "--runs", "3", "--out", Tmp("cx"));
        Assert.Equal(0, exit);
        Assert.Contains("3 random runs on the local engine under recheck-mb (elide-recheck=dma-mb early-elide=mb loads=armv8)", output.Err);
        Assert.Contains(" reviewer-race under recheck-mb (elide-recheck=dma-mb early-elide=mb loads=armv8), random strategy", output.OutLines[0]);
    }

    /// <summary>A billion runs: if the path were checked only after the work, the test would never end.</summary>
    [Theory]
    [InlineData("--json", "", "is a directory")]
    // Directories that do not exist yet: 'newdir/' failed after the work and left 'newdir' made; 'newdir/.' wrote a file 'newdir'.
    [InlineData("--json", "newdir/", "newdir/ names a directory; give a file name")]
    [InlineData("--json", "newdir/.", "newdir/. names a directory; give a file name")]
    [InlineData("--json", "afile/x.json", "afile is a file, not a directory")]
    [InlineData("--out", "afile", "is a file; give a directory")]
    [InlineData("--report", "afile/report", "afile is a file, not a directory")]
    public async Task AnOutputPathInTheWayIsRefusedBeforeAnyWork(string option, string relative, string reason)
    {
        var (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--runs", "1000000000", option, Tmp(relative));
        Assert.Equal(2, exit);
        var err = Assert.Single(output.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {option}: ", err);
        Assert.Contains(reason, err);
        Assert.Equal(["afile"], Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    /// <summary>A name or a path past Linux's limits (255 bytes, 4,095): the search ran, then the write at its end failed (exit 4, nothing written).</summary>
    [Fact]
    public async Task A_path_past_Linuxs_limits_is_refused_before_any_work()
    {
        var (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--runs", "1000000000", "--json", Tmp(new string('j', 256) + ".json"));
        Assert.Equal(2, exit);
        Assert.Contains("is 261 bytes; a file or directory name may have at most 255", output.Err);

        // Within the limit alone, but not with the counterexamples' names in it.
        string deep = Tmp(string.Join('/', Enumerable.Repeat(new string('d', 200), 20)));
        (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--runs", "1000000000", "--out", deep);
        Assert.Equal(2, exit);
        Assert.Contains("with the names of the files written in it", output.Err);
        Assert.Equal(["afile"], Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    /// <summary>/dev/stdout is the console the command writes to, not a file to replace: the JSON follows the run's lines there.</summary>
    [Fact]
    public async Task A_json_to_standard_output_follows_what_the_command_printed()
    {
        var (exit, output) = await Cli("run", "--engine", "local", "--workload", RaceWorkload, "--json", "/dev/stdout");
        Assert.Equal(0, exit);
        Assert.StartsWith("NO VIOLATION FOUND", output.OutLines[0]);
        int json = output.Out.IndexOf('{');
        Assert.True(json > 0, output.Out);
        using var doc = JsonDocument.Parse(output.Out[json..]);
        Assert.Equal("reviewer-race", doc.RootElement.GetProperty("workload").GetString());
    }

    /// <summary>
    /// A device that refuses the write (a copy of /dev/full, which as root the rename had replaced with a regular file): the
    /// run's verdict stands, the error names the file and the reason, exit 2, and the device stays one.
    /// </summary>
    [Fact]
    public async Task A_json_file_the_device_refuses_is_an_error_after_the_verdict()
    {
        string full = Tmp("full");
        using (var mknod = System.Diagnostics.Process.Start("mknod", [full, "c", "1", "7"]))
        {
            await mknod.WaitForExitAsync();
            Assert.True(mknod.ExitCode == 0, "mknod needs root, as the cluster suite's network namespaces do");
        }
        var (exit, output) = await Cli("run", "--engine", "local", "--workload", RaceWorkload, "--json", full);
        Assert.Equal(2, exit);
        Assert.StartsWith("NO VIOLATION FOUND", output.OutLines[0]);
        Assert.Contains($"error: {full} could not be written: No space left on device", output.Err);
        Assert.Equal(PathKind.Device, PathKinds.Of(full));
    }

    /// <summary>
    /// An input the system will not read (here a symbolic-link loop; a file the user may not read likewise) was an
    /// internal error, exit 4, "a bug in SmmuActors": now exit 2 naming the file and the system's reason. So is one too
    /// large to be an input.
    /// </summary>
    [Fact]
    public async Task An_input_file_that_cannot_be_read_is_bad_input_with_the_reason()
    {
        string dir = Directory.CreateTempSubdirectory("smmu-loop-").FullName, loop = Path.Combine(dir, "loop1");
        File.CreateSymbolicLink(loop, Path.Combine(dir, "loop2"));
        File.CreateSymbolicLink(Path.Combine(dir, "loop2"), loop);
        // Bytes that are not UTF-8 were read as U+FFFD, and the file accepted with a name or a value silently changed.
        string notUtf8 = Path.Combine(dir, "w.json"), notUtf8Litmus = Path.Combine(dir, "MP.litmus");
        byte[] bad = [0xff, 0xfe, (byte)'x'];
        byte[] race = File.ReadAllBytes(RaceWorkload);
        int inDescription = race.AsSpan().IndexOf("\"description\": \""u8) + "\"description\": \""u8.Length;
        File.WriteAllBytes(notUtf8, [.. race.Take(inDescription), .. bad, .. race.Skip(inDescription)]);
        File.WriteAllBytes(notUtf8Litmus, [.. "AArch64 M"u8, .. bad, .. File.ReadAllBytes(Path.Combine(TestPaths.LitmusDir, "MP.litmus")).SkipWhile(b => b != (byte)'\n')]);
        // Behind a byte-order mark too: the reader's own detection of one decoded leniently.
        string markedNotUtf8 = Path.Combine(dir, "marked.json");
        File.WriteAllBytes(markedNotUtf8, [0xEF, 0xBB, 0xBF, .. File.ReadAllBytes(notUtf8)]);
        foreach (var (args, says) in new (string[], string)[]
                 {
                     (["run", "--workload", loop], $"error: {loop}: (file): too many levels of symbolic links"),
                     (["replay", loop], $"error: {loop}: (file): too many levels of symbolic links"),
                     (["litmus", loop], $"error: {loop}: too many levels of symbolic links"),
                     (["litmus", Path.Combine(TestPaths.LitmusDir, "MP.litmus"), "--expect", loop], $"error: --expect: {loop}: too many levels of symbolic links"),
                     (["workloads", "--dir", loop], $"error: --dir: {loop}: too many levels of symbolic links"),
                     (["workloads", "--dir", RaceWorkload], $"error: --dir: {RaceWorkload}: a file, not a directory"),
                     // A device without end was read until the process ran out of memory.
                     (["run", "--workload", "/dev/zero"], "error: /dev/zero: (file): more than 64 MiB of text: not an input this tool reads"),
                     (["run", "--workload", notUtf8], $"error: {notUtf8}: (file): not UTF-8 text: it holds bytes that UTF-8 does not allow"),
                     (["litmus", notUtf8Litmus], $"error: {notUtf8Litmus}: not UTF-8 text: it holds bytes that UTF-8 does not allow"),
                     (["run", "--workload", markedNotUtf8], $"error: {markedNotUtf8}: (file): not UTF-8 text: it holds bytes that UTF-8 does not allow"),
                 })
        {
            var (exit, output) = await Cli(args);
            Assert.True(exit == 2, $"{string.Join(' ', args)}: exit {exit}\n{output.Err}");
            Assert.Contains(says, output.Err);
            Assert.DoesNotContain("internal error", output.Err);
        }
    }

    /// <summary>
    /// explore --detach returns once the campaign is submitted: --json, --out and --report were taken and silently
    /// ignored. Refused before any connection, so no cluster is needed here (nothing listens on port 1).
    /// </summary>
    [Theory]
    [InlineData("--json", "x.json")]
    [InlineData("--out", "cx")]
    [InlineData("--report", "report")]
    [InlineData("--trace-sample", "0.5")]
    public async Task A_detached_campaign_refuses_what_it_would_not_write(string option, string value)
    {
        string arg = option == "--trace-sample" ? value : Tmp(value);
        var (exit, output) = await Cli("explore", "--workload", RaceWorkload, "--runs", "1000", "--cluster", "127.0.0.1:1", "--detach", option, arg);
        Assert.Equal(2, exit);
        Assert.Contains($"{option}: a detached campaign writes nothing here; its summary and counterexamples come from 'smmu-actors campaign results ID", output.Err);
        Assert.False(File.Exists(arg) || Directory.Exists(arg));
    }

    /// <summary>A detached campaign with no cluster to live in names --detach, the option at fault (it named --redis).</summary>
    [Fact]
    public async Task A_detached_campaign_without_a_cluster_names_detach()
    {
        var (exit, output) = await Cli("explore", "--workload", RaceWorkload, "--runs", "1000", "--engine", "grains", "--detach");
        Assert.Equal(2, exit);
        Assert.Contains("error: --detach: a detached campaign lives on in a cluster; give --redis HOST:PORT", output.Err);
    }

    [Fact]
    public async Task RunsHasNoHiddenDefault()
    {
        var (exit, output) = await Cli("explore", "--workload", RaceWorkload, "--runs", "-1");
        Assert.Equal(2, exit);
        Assert.Contains("--runs: -1 is not a number of runs from 1 to", output.Err);
        // So many that the batch count overflowed: a clean verdict from no run at all (local), an overflow (grains).
        foreach (var engine in new[] { "local", "grains" })
        {
            (exit, output) = await Cli("explore", "--workload", RaceWorkload, "--engine", engine, "--runs", "9223372036854775807");
            Assert.Equal(2, exit);
            Assert.Contains("--runs: 9223372036854775807 is not a number of runs from 1 to 1,000,000,000,000", output.Err);
            Assert.DoesNotContain("NO VIOLATION", output.Out);
        }
        var (_, help) = await Cli("explore", "--help");
        Assert.Contains("default 100,000", help.Out);
        Assert.DoesNotContain("[default: -1]", help.Out);
    }

    /// <summary>
    /// --json where the command writes its other outputs: the --out directory itself (the JSON was lost after the whole
    /// search, exit 4), a counterexample's own name there (the JSON overwrote it, and the printed replay failed), its
    /// chart's name there or the report's index.html (the chart or the page was written over the JSON).
    /// </summary>
    [Theory]
    [InlineData("same", "--out", "same", "is also the --out directory")]
    [InlineData("d/as-posted-reviewer-race-stale-translation.json", "--out", "d", "is where a counterexample or its chart may be saved in --out")]
    [InlineData("d/as-posted-reviewer-race-stale-translation.svg", "--out", "d", "is where a counterexample or its chart may be saved in --out")]
    [InlineData("r/index.html", "--report", "r", "is the report's page in --report")]
    public async Task A_json_file_where_the_other_outputs_go_is_refused_before_any_work(string json, string option, string dir, string reason)
    {
        var (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--json", Tmp(json), option, Tmp(dir));
        Assert.Equal(2, exit);
        Assert.Contains(reason, output.Err);
        Assert.False(Directory.Exists(Tmp(dir)));
    }

    /// <summary>A JSON file of another name beside the report or the counterexamples is no clash: it is written.</summary>
    [Fact]
    public async Task A_json_file_of_its_own_name_beside_the_report_is_written()
    {
        var (exit, _) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--json", Tmp("r/summary.json"), "--report", Tmp("r"));
        Assert.Equal(1, exit);
        Assert.True(File.Exists(Tmp("r/summary.json")));
        Assert.True(File.Exists(Tmp("r/index.html")));
    }

    /// <summary>A budget no TimeSpan holds crashed (exit 4), NaN meant none, and 1e-9 printed as "0 s": each is refused before any work.</summary>
    [Theory]
    [InlineData("1e12")]
    [InlineData("Infinity")]
    [InlineData("NaN")]
    [InlineData("1e-9")]
    [InlineData("-1")]
    public async Task A_timeout_that_is_no_budget_is_refused(string seconds)
    {
        var (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--timeout", seconds, "--json", Tmp("t.json"));
        Assert.Equal(2, exit);
        Assert.Contains("--timeout: ", output.Err);
        Assert.Contains("is not a number of seconds from 0.001 to 31,536,000", output.Err);
        Assert.False(File.Exists(Tmp("t.json")));
    }

    /// <summary>
    /// The JSON's counts come in the order of their names: merged from two workers' logs, gate-outside-cas's kinds came
    /// in the order the workers flushed (stale-translation, queue-invariant, commit-after-drain ... on one run, another on the next).
    /// </summary>
    [Fact]
    public async Task The_json_counts_are_in_the_order_of_their_names()
    {
        var (exit, _) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--variant", "gate-outside-cas",
            "--workers", "2", "--json", Tmp("kinds.json"), "--out", Tmp("cx"));
        Assert.Equal(1, exit);
        var kinds = JsonDocument.Parse(File.ReadAllText(Tmp("kinds.json"))).RootElement.GetProperty("violationsByKind").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(6, kinds.Count);
        Assert.Equal(kinds.Order(StringComparer.Ordinal), kinds);
    }

    /// <summary>A value refused for an option names the option, on one line; a switch set twice is refused, not the last taken.</summary>
    [Theory]
    [InlineData(new[] { "--strategy", "bogus" }, "error: --strategy: Argument 'bogus' not recognized. Must be one of: 'random', 'exhaustive'")]
    [InlineData(new[] { "--set", "loads=armv8", "--set", "loads=in-order" }, "error: --set: 'loads' is set twice (loads=armv8, loads=in-order); give it once")]
    // .NET's parse of a double takes ',' as a thousands separator: --timeout 0,5 searched for 5 s.
    [InlineData(new[] { "--strategy", "exhaustive", "--timeout", "0,5" }, "error: --timeout: '0,5' is not a number (a decimal is written with a point, e.g. 0.5)")]
    [InlineData(new[] { "--trace-sample", "0,05" }, "error: --trace-sample: '0,05' is not a number (a decimal is written with a point, e.g. 0.5)")]
    [InlineData(new[] { "--set", "walker=non-coherent" }, "error: --set: as-posted with walker=non-coherent: walker=non-coherent needs sync-mode=cons: the driver polls a CMD_SYNC's MSI only on a coherent SMMU (protocol.md §2.5); add --set sync-mode=cons")]
    public async Task A_bad_option_value_is_one_line_naming_the_option(string[] args, string line)
    {
        var (exit, output) = await Cli(["explore", "--engine", "local", "--workload", RaceWorkload, .. args]);
        Assert.Equal(2, exit);
        Assert.Equal(line, output.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]);
    }

    /// <summary>--orleans-spans on the local engine, which has no grain calls to trace, was silently ignored.</summary>
    [Theory]
    [InlineData("run", "--workload")]
    [InlineData("replay", null)]
    public async Task Orleans_spans_on_the_local_engine_are_refused_before_any_work(string command, string? workloadOption)
    {
        string[] input = workloadOption is null
            ? [Path.Combine(TestPaths.RepoRoot, "tests", "Search", "counterexamples", "storm-msi-lost-command.json")]
            : [workloadOption, RaceWorkload];
        var (exit, output) = await Cli([command, .. input, "--engine", "local", "--trace", "--orleans-spans", "--json", Tmp("o.json")]);
        Assert.Equal(2, exit);
        Assert.Equal("error: --orleans-spans: the grain engine only (the local engine makes no grain calls)", output.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]);
        Assert.False(File.Exists(Tmp("o.json")));
    }

    [Fact]
    public async Task A_seed_given_to_a_search_is_refused_as_runs_is()
    {
        var (exit, output) = await Cli("explore", "--engine", "local", "--workload", RaceWorkload, "--strategy", "exhaustive", "--seed", "7");
        Assert.Equal(2, exit);
        Assert.Contains("--seed: an exhaustive search draws nothing at random", output.Err);
    }

    /// <summary>An empty path was reported as "error: : (file): no such file", naming neither the option nor the reason.</summary>
    [Theory]
    [InlineData("--workload", "explore", "--engine", "local", "--workload", "")]
    [InlineData("--workload", "run", "--engine", "local", "--workload", "")]
    [InlineData("--workloads", "bench", "--workloads", "")]
    [InlineData("replay FILE", "replay", "")]
    [InlineData("litmus FILE", "litmus", "")]
    [InlineData("--dir", "workloads", "--dir", "")]
    public async Task AnEmptyInputPathNamesItsOption(string option, params string[] args)
    {
        var (exit, output) = await Cli(args);
        Assert.Equal(2, exit);
        Assert.Equal($"error: {option}: the path is empty", Assert.Single(output.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(output.Out);
    }

    [Fact]
    public async Task ADirectoryAsWorkloadSaysSo()
    {
        var (exit, output) = await Cli("run", "--engine", "local", "--workload", _dir);
        Assert.Equal(2, exit);
        Assert.Contains("is a directory", output.Err);
    }

    [Fact]
    public async Task ABadSettingInACounterexampleBlamesTheFileAndField()
    {
        var cx = RaceWitness.Saved();
        string file = Tmp("cx.json");
        (cx with { Settings = [.. cx.Settings.Take(2), "stop-gate=maybe", .. cx.Settings.Skip(3)] }).Save(file);
        var (exit, output) = await Cli("replay", file, "--engine", "local");
        Assert.Equal(2, exit);
        Assert.Contains($"{file}: settings[2]: 'stop-gate=maybe'", output.Err);
        Assert.DoesNotContain("--set", output.Err);
    }

    /// <summary>
    /// The labels a summary prints must be what runs: a variant named for a setting its settings take back, or a workload
    /// name that is not the embedded workload's, was replayed and printed "VIOLATED ... under recheck-mb" for as-posted.
    /// </summary>
    [Theory]
    [InlineData("variant", "'recheck-mb', but its settings take back what it is named for: they are as-posted")]
    [InlineData("workload", "'full-queue', but workloadText is the workload 'reviewer-race'")]
    public async Task A_label_in_a_counterexample_that_is_not_what_runs_is_refused(string field, string reason)
    {
        var cx = RaceWitness.Saved();
        string file = Tmp("cx.json");
        (field == "variant" ? cx with { Variant = "recheck-mb" } : cx with { Workload = "full-queue" }).Save(file);
        var (exit, output) = await Cli("replay", file, "--engine", "local", "--json", Tmp("r.json"));
        Assert.Equal(2, exit);
        Assert.Contains($"{file}: {field}: {reason}", output.Err);
        Assert.False(File.Exists(Tmp("r.json")));
    }

    /// <summary>
    /// A delay no random run of the workload could draw (past its longMax here) was replayed, and with the trace hash
    /// edited to match printed VIOLATED for a run the workload does not have: refused, naming the choice.
    /// </summary>
    [Fact]
    public async Task A_counterexample_with_a_delay_outside_its_workloads_is_refused()
    {
        var cx = RaceWitness.Saved();
        var slots = ChoiceSlots.Of(RaceWitness.Shrunk.Model, cx.Choices);
        int slot = Enumerable.Range(0, slots.Count).First(i => slots[i].Kind == "delay");
        long past = RaceWitness.Shrunk.Model.Workload.Delays.LongMax + 50;
        string file = Tmp("cx.json");
        (cx with { Choices = [.. cx.Choices.Select((c, i) => i == slot ? past : c)] }).Save(file);
        var (exit, output) = await Cli("replay", file, "--engine", "local", "--json", Tmp("r.json"));
        Assert.Equal(2, exit);
        Assert.Contains($"{file}: the recorded choices do not fit this workload and variant: choice {slot}: delay {past} is outside the workload's delays", output.Err);
        Assert.False(File.Exists(Tmp("r.json")));
    }

    /// <summary>
    /// A list option naming one thing twice: `bench --engines local local` measured every engine and then failed with exit 4
    /// where the two figures met under one name; the others measured it twice under one name. Refused before any work.
    /// </summary>
    [Theory]
    [InlineData("--engines", "local", "local", "'local' is given twice")]
    [InlineData("--workloads", "RACE", "./RACE", "is given twice")]
    [InlineData("--variants", "as-posted", "as-posted", "'as-posted' is given twice")]
    [InlineData("--workers", "1", "1", "'1' is given twice")]
    [InlineData("--silos", "2", "2", "'2' is given twice")]
    [InlineData("litmus", "MP", "MP", "is given twice")]
    public async Task A_list_option_that_names_one_thing_twice_is_refused_before_any_work(string option, string first, string second, string reason)
    {
        string race = Path.GetRelativePath(Environment.CurrentDirectory, RaceWorkload);
        string Value(string v) => v switch
        {
            "RACE" => race,
            "./RACE" => "./" + race,
            "MP" => Path.Combine(TestPaths.RepoRoot, "tests", "litmus", "MP.litmus"),
            _ => v,
        };
        string[] args = option switch
        {
            "litmus" => ["litmus", Value(first), Value(second), "--json", Tmp("out.json")],
            "--silos" => ["bench-cluster", "--workload", RaceWorkload, "--silos", first, second, "--json", Tmp("out.json")],
            _ => ["bench", "--runs", "100", "--engine-runs", "100", "--warmup", "0", "--repeat", "0", "--search", "--json", Tmp("out.json"),
                .. option == "--engines" ? Array.Empty<string>() : ["--engines", "local"],
                .. option == "--workloads" ? Array.Empty<string>() : ["--workloads", RaceWorkload],
                option, Value(first), Value(second)],
        };
        var (exit, output) = await Cli(args);
        Assert.Equal(2, exit);
        Assert.Contains($"error: {(option == "litmus" ? "litmus FILE" : option)}: ", output.Err);
        Assert.Contains(reason, output.Err);
        Assert.DoesNotContain("searching", output.Err);
        Assert.DoesNotContain("runs/s", output.Out);
        Assert.DoesNotContain("Test MP", output.Out);
        Assert.False(File.Exists(Tmp("out.json")));
    }

    /// <summary>
    /// A --set that one preset cannot take (noncoherent-walker polls CONS) names that preset, and bench, which gives every
    /// preset the --set, refuses before any search: it once failed at that preset's turn, minutes in.
    /// </summary>
    [Theory]
    [InlineData("explore", "--variant", "all", "--workload", "scenarios/reviewer-race.json", "--strategy", "exhaustive", "--set", "sync-mode=msi")]
    [InlineData("bench", "--search", "scenarios/reviewer-race.json", "--workloads", "scenarios/reviewer-race.json", "--set", "sync-mode=msi", "--runs", "100",
        "--engine-runs", "100", "--warmup", "0", "--repeat", "0")]
    public async Task A_set_no_driver_makes_of_one_preset_is_refused_before_any_work(params string[] args)
    {
        string[] written = args[0] == "explore" ? ["--out", Tmp("cx")] : ["--json", Tmp("bench.json")];
        var (exit, output) = await Cli([.. args.Select(a => a.StartsWith("scenarios/", StringComparison.Ordinal) ? RaceWorkload : a), .. written]);
        Assert.Equal(2, exit);
        Assert.Contains("error: --set: noncoherent-walker with sync-mode=msi: walker=non-coherent needs sync-mode=cons", output.Err);
        Assert.DoesNotContain("searching", output.Err);
        Assert.DoesNotContain("exploring", output.Err);
        Assert.False(Directory.Exists(Tmp("cx")));
        Assert.False(File.Exists(Tmp("bench.json")));
    }

    /// <summary>A counterexample whose settings pair a non-coherent walker with MSI polling, which the driver never does, is refused as --set is.</summary>
    [Fact]
    public async Task A_counterexample_with_settings_no_driver_makes_is_refused()
    {
        var cx = RaceWitness.Saved();
        string file = Tmp("cx.json");
        (cx with { Settings = [.. cx.Settings.Where(a => !a.StartsWith("walker=", StringComparison.Ordinal)), "walker=non-coherent"] }).Save(file);
        var (exit, output) = await Cli("replay", file, "--engine", "local", "--json", Tmp("r.json"));
        Assert.Equal(2, exit);
        Assert.Contains($"{file}: settings: walker=non-coherent needs sync-mode=cons", output.Err);
        Assert.False(File.Exists(Tmp("r.json")));
    }

    /// <summary>A file that is not a counterexample, or a hand-edited one, is blamed on its field in plain words, not a .NET type's name.</summary>
    [Theory]
    [InlineData("kind5", "kind: expected a string, found a number")]
    [InlineData("empty", "the file is empty")]
    [InlineData("workload", "a workload, not a counterexample")]
    [InlineData("unknown", "colour: unknown field; a counterexample has kind, detail")]
    [InlineData("no choices", "cx.json: choices: missing: a counterexample needs it")]
    [InlineData("no choices workloadText", "cx.json: workloadText: missing: a counterexample needs it (and choices, also missing)")]
    [InlineData("no steps", "cx.json: steps: missing: a counterexample needs it")]
    public async Task A_file_that_is_not_a_counterexample_is_refused_in_plain_words(string shape, string reason)
    {
        string file = Tmp("cx.json");
        var cx = RaceWitness.Saved();
        string text = shape switch
        {
            "kind5" => cx.ToJson().Replace("\"kind\": \"stale-translation\"", "\"kind\": 5"),
            "empty" => "",
            "workload" => File.ReadAllText(RaceWorkload),
            "unknown" => "{ \"colour\": \"red\"," + cx.ToJson().TrimStart()[1..],
            _ => Without(cx.ToJson(), shape.Split(' ')[1..]),
        };
        File.WriteAllText(file, text);
        var (exit, output) = await Cli("replay", file, "--engine", "local");
        Assert.Equal(2, exit);
        Assert.Contains(reason, output.Err);
        Assert.DoesNotContain("SmmuActors.", output.Err);
    }

    static string Without(string json, string[] fields)
    {
        var o = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        foreach (var f in fields) Assert.True(o.Remove(f), f);
        return o.ToJsonString();
    }

    [Fact]
    public async Task AReplayThatDoesNotReproduceSaysWhy()
    {
        var cx = RaceWitness.Saved();
        string file = Tmp("cx.json");
        (cx with { Choices = [] }).Save(file);
        var (exit, output) = await Cli("replay", file, "--engine", "local", "--json", Tmp("r.json"));
        Assert.Equal(2, exit);
        Assert.Contains($"{file} was not reproduced: the recorded stale-translation did not occur (the replay found no violation)", output.Err);
        Assert.Contains("took another path", output.Err);
        Assert.False(JsonDocument.Parse(File.ReadAllText(Tmp("r.json"))).RootElement.GetProperty("reproduced").GetBoolean());
    }

    /// <summary>
    /// A file whose steps were edited replayed as reproduced; one whose traceHash alone was edited was said to have taken
    /// another path, blaming its choices, settings or workload. Each is now named for what the replay can tell.
    /// </summary>
    [Fact]
    public async Task A_replay_names_an_edited_step_count_or_trace_hash()
    {
        var cx = RaceWitness.Saved();
        string file = Tmp("cx.json");
        (cx with { Steps = 5 }).Save(file);
        var (exit, output) = await Cli("replay", file, "--engine", "local", "--json", Tmp("r.json"));
        Assert.Equal(2, exit);
        Assert.Contains($"the run took {cx.Steps} steps, the same path as recorded (traceHash {cx.TraceHash}), where the file says 5: its steps were edited", output.Err);
        Assert.Contains("trace hash matches the recording", output.Out);
        Assert.False(JsonDocument.Parse(File.ReadAllText(Tmp("r.json"))).RootElement.GetProperty("reproduced").GetBoolean());

        (cx with { TraceHash = new string('0', 32) }).Save(file);
        (exit, output) = await Cli("replay", file, "--engine", "local");
        Assert.Equal(2, exit);
        Assert.Contains("choices, settings, workloadText or traceHash were edited", output.Err);
    }

    [Fact]
    public async Task ExhaustiveOutcomeCountsAddUp()
    {
        File.WriteAllText(Tmp("sb.json"), """
            {
              "name": "sb", "queueShift": 3, "vars": ["x", "y"],
              "threads": [
                { "name": "cpu0", "start": [0, 4], "program": [ { "op": "store", "var": "x", "value": 1 }, { "op": "load", "var": "y" } ] },
                { "name": "cpu1", "start": [0, 4], "program": [ { "op": "store", "var": "y", "value": 1 }, { "op": "load", "var": "x" } ] }
              ],
              "delays": { "min": 1, "max": 1, "menu": [1, 5], "maxDelayed": 1 }
            }
            """);
        var (exit, output) = await Cli("explore", "--engine", "local", "--workload", Tmp("sb.json"), "--strategy", "exhaustive", "--json", Tmp("s.json"));
        Assert.Equal(0, exit);
        var s = JsonDocument.Parse(File.ReadAllText(Tmp("s.json"))).RootElement;
        long counted = s.GetProperty("outcomes").EnumerateObject().Sum(o => o.Value.GetInt64());
        long runs = s.GetProperty("finalStates").GetInt64();
        Assert.Contains(output.OutLines, l => l.Contains("total") && l.Contains(counted.ToString("N0")));
        if (counted != runs)
            Assert.Contains($"the counts cover the {counted:N0} of {runs:N0} executions that ran to the end", output.Out);
    }
}
