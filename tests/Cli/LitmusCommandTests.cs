using System.CommandLine;
using System.Text.Json;
using SmmuActors.Client;
using SmmuActors.Client.Commands;
using SmmuActors.Model.Litmus;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// `litmus` end to end: herd's verdict blocks and exit 0, a mismatch against --expect (exit 1, each one
/// printed), a file it cannot read (exit 2, one FILE:LINE line and nothing else), an incomplete search
/// (exit 3, no verdict).
/// </summary>
[Collection("cli")]
[Trait("Suite", "Cli")]
public class LitmusCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-litmus-").FullName;
    static readonly string Mp = Path.Combine(TestPaths.LitmusDir, "MP.litmus");
    static readonly string MpDmbs = Path.Combine(TestPaths.LitmusDir, "MP+dmb.sys.litmus");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Tmp(string name, string? text = null)
    {
        string path = Path.Combine(_dir, name);
        if (text is not null) File.WriteAllText(path, text);
        return path;
    }

    static async Task<(int Exit, ConsoleCapture Output)> Cli(params string[] args)
    {
        using var capture = new ConsoleCapture();
        return (await CliApp.RunAsync(args), capture);
    }

    [Fact]
    public async Task PrintsHerdsBlocksAndAgreesWithTheCorpusExpectations()
    {
        var (exit, output) = await Cli("litmus", Mp, MpDmbs, "--expect", TestPaths.LitmusExpected, "--json", Tmp("out.json"));
        Assert.Equal(0, exit);
        Assert.Equal("", output.Err);
        var lines = output.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("Test MP Allowed", lines[0]);
        Assert.Contains("1:X0=1; 1:X2=0;", lines);
        Assert.Contains("Observation MP Sometimes 1 3", lines);
        Assert.Contains(@"Condition exists (1:X0=1 /\ 1:X2=0)", lines);
        Assert.Contains("Test MP+dmb.sys Allowed", lines);
        Assert.Contains("Observation MP+dmb.sys Never 0 3", lines);
        Assert.Contains($"2 tests against {TestPaths.LitmusExpected}: 0 mismatches", lines);
        var json = JsonDocument.Parse(File.ReadAllText(Tmp("out.json"))).RootElement;
        Assert.Equal(["MP", "MP+dmb.sys"], json.EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("match", json[1].GetProperty("expected").GetString());
        Assert.Equal("Never", json[1].GetProperty("observation").GetString());
    }

    /// <summary>
    /// Two files that are each test MP were both compared with the kinds file's one line for MP, and a mismatch named
    /// neither file. With --expect that is refused before anything runs; without it, each is explored as herd does.
    /// </summary>
    [Fact]
    public async Task Two_tests_of_one_name_are_refused_against_a_kinds_file()
    {
        string copy = Tmp("MP.litmus", File.ReadAllText(Mp));
        var (exit, output) = await Cli("litmus", Mp, copy, "--expect", TestPaths.LitmusExpected, "--json", Tmp("out.json"));
        Assert.Equal(2, exit);
        Assert.Contains($"error: --expect: {Mp} and {copy} are each test MP, which one line of {TestPaths.LitmusExpected} cannot tell apart", output.Err);
        Assert.Equal("", output.Out);
        Assert.False(File.Exists(Tmp("out.json")));
        (exit, output) = await Cli("litmus", Mp, copy);
        Assert.Equal(0, exit);
        Assert.Equal(2, output.Out.Split('\n').Count(l => l.StartsWith("Observation MP ")));
    }

    [Fact]
    public async Task EveryMismatchAndEveryUnlistedTestIsPrintedWithExit1()
    {
        string expected = Tmp("expected.txt", "MP Forbidden  # wrong on purpose\n");
        var (exit, output) = await Cli("litmus", Mp, MpDmbs, "--expect", expected);
        Assert.Equal(1, exit);
        Assert.Contains("MISMATCH MP: expected Forbidden, explored Allowed (reachable final state 1:X0=1; 1:X2=0;)", output.OutLines);
        Assert.Contains(output.OutLines, l => l.StartsWith("MISMATCH MP+dmb.sys: ", StringComparison.Ordinal) && l.Contains("does not list"));
        Assert.Contains($"2 tests against {expected}: 2 mismatches", output.OutLines);
    }

    [Fact]
    public async Task AnUnsupportedInstructionIsOneLineAndExit2BeforeAnyVerdict()
    {
        string bad = Tmp("bad.litmus", "AArch64 bad\n{ 0:X1=x; }\n P0 ;\n LDRB W0,[X1] ;\nexists (0:X0=1)\n");
        var (exit, output) = await Cli("litmus", Mp, bad);
        Assert.Equal(2, exit);
        Assert.Equal("", output.Out);
        Assert.Equal($"{bad}:4: unsupported instruction: 'LDRB W0,[X1]'", Assert.Single(output.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('\r'));
    }

    /// <summary>
    /// An exclusive pair (LDXP) is refused when read, a store-exclusive to another location than its load-exclusive's
    /// (CONSTRAINED UNPREDICTABLE) when a run reaches it: each exit 2 with its file and line.
    /// </summary>
    [Theory]
    [InlineData("AArch64 pair\n{ 0:X1=x; }\n P0 ;\n LDXP X2,X3,[X1] ;\nexists (0:X2=1)\n", "4: unsupported instruction: 'LDXP X2,X3,[X1]'")]
    [InlineData("AArch64 apart\n{ 0:X1=x; 0:X2=y; }\n P0 ;\n LDXR W0,[X1] ;\n MOV W3,#3 ;\n STXR W4,W3,[X2] ;\nexists (y=3)\n",
        "6: unsupported: a 4-byte store-exclusive to y after a 4-byte load-exclusive of x")]
    public async Task AnUnsupportedExclusiveIsExit2WithItsLine(string text, string line)
    {
        string bad = Tmp("excl.litmus", text);
        var (exit, output) = await Cli("litmus", bad);
        Assert.Equal(2, exit);
        Assert.StartsWith($"{bad}:{line}", output.Err);
    }

    [Theory]
    [InlineData("nowhere.litmus", null, "nowhere.litmus: no such file")]
    [InlineData(".", null, "a directory; give its tests")]
    [InlineData(null, "nowhere.txt", "--expect: ")]
    [InlineData(null, ".", "is a directory; give a kinds file")]
    [InlineData(null, "bad-expected.txt", ":2: not 'NAME Allowed|Forbidden|Required': 'SB Maybe'")]
    public async Task AMissingOrBadFileIsExit2(string? litmus, string? expected, string message)
    {
        Tmp("bad-expected.txt", "MP Allowed\nSB Maybe\n");
        var args = new List<string> { "litmus", litmus is null ? Mp : Tmp(litmus) };
        if (expected is not null) args.AddRange(["--expect", Tmp(expected)]);
        var (exit, output) = await Cli([.. args]);
        Assert.Equal(2, exit);
        Assert.Equal("", output.Out);
        Assert.Contains(message, output.Err);
    }

    [Fact]
    public async Task AnIncompleteSearchSaysSoWithExit3AndNoVerdict()
    {
        var root = new RootCommand { LitmusCommand.Create((test, _, _) => new LitmusRun([], 7, "maxStates (7)")) };
        using var capture = new ConsoleCapture();
        int exit = await SmmuActors.Client.Cli.InvokeAsync(root, ["litmus", Mp, "--expect", TestPaths.LitmusExpected], CancellationToken.None);
        Assert.Equal(3, exit);
        Assert.Contains("INCOMPLETE MP (maxStates (7); --max-states raises the bound)", capture.OutLines);
        Assert.DoesNotContain(capture.OutLines, l => l.StartsWith("Test ", StringComparison.Ordinal) || l.StartsWith("MISMATCH", StringComparison.Ordinal));
    }

    /// <summary>The JSON writes a name as it is ('+' and all), so grep '"2+2W"' finds the test's record; it wrote "2\u002B2W".</summary>
    [Fact]
    public async Task The_json_keeps_a_name_as_written()
    {
        var (exit, _) = await Cli("litmus", Path.Combine(TestPaths.LitmusDir, "2+2W.litmus"), "--json", Tmp("plus.json"));
        Assert.Equal(0, exit);
        Assert.Contains("\"2+2W\"", File.ReadAllText(Tmp("plus.json")));
    }

    /// <summary>
    /// --max-states bounds each test's search: MP, which takes more states, stops at 5 with INCOMPLETE and exit 3; the
    /// default bound answers it; a bound that is no number of states is bad input, exit 2, before any test runs.
    /// </summary>
    [Fact]
    public async Task MaxStatesBoundsEachSearch()
    {
        var (exit, output) = await Cli("litmus", Mp, "--max-states", "5", "--json", Tmp("bound.json"));
        Assert.Equal(3, exit);
        Assert.Contains("INCOMPLETE MP (maxStates (5); --max-states raises the bound)", output.Out);
        Assert.DoesNotContain("Test MP", output.Out);
        // The states it searched are the bound, as explore counts them (it said one more).
        using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("bound.json"))))
            Assert.Equal(5, json.RootElement[0].GetProperty("searchStates").GetInt64());
        (exit, output) = await Cli("litmus", Mp, "--max-states", "100000");
        Assert.Equal(0, exit);
        Assert.Contains("Observation MP Sometimes 1 3", output.Out);
        (exit, output) = await Cli("litmus", Mp, "--max-states", "0");
        Assert.Equal(2, exit);
        Assert.Equal("", output.Out);
        Assert.Contains("--max-states: 0 is not a number of states from 1 to 1,000,000,000", output.Err);
    }

    /// <summary>
    /// Ctrl+C during the third test: the two finished keep their blocks and their --expect comparison, the summary says
    /// how many finished and how many were not run, and the exit is 3 (it was "cancelled before anything finished", no
    /// summary, and the comparison dropped). The JSON has the test cut short, with the states it searched, and the one
    /// never run (it held only the two finished).
    /// </summary>
    [Fact]
    public async Task CtrlCKeepsTheFinishedTestsAndTheirComparisonWithExit3()
    {
        using var stop = new CancellationTokenSource();
        var root = new RootCommand
        {
            LitmusCommand.Create((test, maxStates, cancel) =>
            {
                if (test.Name == "SB") stop.Cancel();
                return LitmusExplorer.Run(test, cancel, maxStates);
            }),
        };
        string sb = Path.Combine(TestPaths.LitmusDir, "SB.litmus"), lb = Path.Combine(TestPaths.LitmusDir, "LB.litmus");
        using var capture = new ConsoleCapture();
        int exit = await SmmuActors.Client.Cli.InvokeAsync(root, ["litmus", Mp, MpDmbs, sb, lb, "--expect", TestPaths.LitmusExpected, "--json", Tmp("cut.json")], stop.Token);
        Assert.Equal(3, exit);
        Assert.Contains("Observation MP+dmb.sys Never 0 3", capture.OutLines);
        Assert.DoesNotContain(capture.OutLines, l => l.StartsWith("Test SB", StringComparison.Ordinal));
        Assert.Contains($"2 tests against {TestPaths.LitmusExpected}: 0 mismatches; 2 not run", capture.OutLines);
        Assert.Contains("INCOMPLETE: cancelled after 2 of 4 tests (2 not run; SB cut after 1 state)", capture.OutLines);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Tmp("cut.json")));
        var records = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["MP", "MP+dmb.sys", "SB", "LB"], records.Select(r => r.GetProperty("name").GetString()!).ToList());
        Assert.Equal("cancelled", records[2].GetProperty("incompleteReason").GetString());
        Assert.Equal(1, records[2].GetProperty("searchStates").GetInt64());
        Assert.Equal("cancelled before it ran", records[3].GetProperty("incompleteReason").GetString());
    }

    /// <summary>
    /// Over a folder such as herd's catalogue: each test the tool cannot answer is one SKIPPED line with its file and
    /// line, the others are explored and compared, and the summary counts both; skipped tests are no mismatch.
    /// </summary>
    [Fact]
    public async Task SkipUnsupportedReportsEachRefusedTestAndExploresTheRest()
    {
        string bad = Tmp("bad.litmus", "AArch64 bad\n{ 0:X1=x; }\n P0 ;\n LDRB W0,[X1] ;\nexists (0:X0=1)\n");
        string own = Tmp("own.litmus", "AArch64 own\n{ 0:X1=x; }\n P0 ;\n MOV W0,#2 ;\n MOV W6,#3 ;\n LDADD W6,W0,[X1] ;\n LDR W5,[X1] ;\nexists (0:X5=3)\n");
        var (exit, output) = await Cli("litmus", Mp, bad, own, MpDmbs, "--expect", TestPaths.LitmusExpected, "--skip-unsupported", "--json", Tmp("out.json"));
        Assert.Equal(0, exit);
        Assert.Contains("Test MP Allowed", output.OutLines);
        Assert.Contains("Test MP+dmb.sys Allowed", output.OutLines);
        Assert.Contains($"SKIPPED {bad}:4: unsupported instruction: 'LDRB W0,[X1]'", output.OutLines);
        Assert.Contains(output.OutLines, l => l.StartsWith($"SKIPPED {own}:7: unsupported: a plain load that may read this thread's own LDADD's", StringComparison.Ordinal));
        Assert.Contains($"2 tests against {TestPaths.LitmusExpected}: 0 mismatches (2 skipped as unsupported)", output.OutLines);
        var json = JsonDocument.Parse(File.ReadAllText(Tmp("out.json"))).RootElement;
        Assert.Equal(2, json.EnumerateArray().Count(t => t.TryGetProperty("skipped", out _)));
    }

    /// <summary>
    /// Arrays end to end: a whole array in a state as herd prints it (<c>x={1,1}</c>), in the block and the json; a mixed-size
    /// access, which only a run reveals, is one SKIPPED line with its line and reason, the other tests explored.
    /// </summary>
    [Fact]
    public async Task AnArrayIsShownWholeAndAMixedSizeAccessIsSkippedWithItsReason()
    {
        string cells = Tmp("cells.litmus", "AArch64 MP+cells\n{ int x[2]; 0:X1=x; 1:X1=x; }\n P0 | P1 ;\n MOV W0,#1 | LDR W2,[X1,#4] ;\n"
            + " STR W0,[X1] | LDR W3,[X1] ;\n STR W0,[X1,#4] | ;\nlocations [x;]\nexists (1:X2=1 /\\ 1:X3=0)\n");
        string mixed = Tmp("mixed.litmus", "AArch64 mixed\n{ int x[2]; 0:X1=x; }\n P0 ;\n LDR X0,[X1] ;\nexists (0:X0=0)\n");
        var (exit, output) = await Cli("litmus", mixed, cells, "--skip-unsupported", "--json", Tmp("out.json"));
        Assert.Equal(0, exit);
        Assert.Contains("1:X2=1; 1:X3=0; x={1,1};", output.OutLines);
        Assert.Contains("Observation MP+cells Sometimes 1 3", output.OutLines);
        Assert.Contains(output.OutLines, l => l.StartsWith($"SKIPPED {mixed}:4: unsupported: an 8-byte access at byte 0 of x, an array of 4-byte cells", StringComparison.Ordinal));
        var json = JsonDocument.Parse(File.ReadAllText(Tmp("out.json"))).RootElement;
        var explored = Assert.Single(json.EnumerateArray(), t => !t.TryGetProperty("skipped", out _));
        Assert.Contains("1:X2=1; 1:X3=0; x={1,1};", explored.GetProperty("states").EnumerateArray().Select(s => s.GetString()));
    }

    /// <summary>Exit 2 is bad input and writes nothing: the --json file was written all the same.</summary>
    [Fact]
    public async Task SkipUnsupportedWithNothingLeftIsExit2()
    {
        string bad = Tmp("bad.litmus", "AArch64 bad\n{ 0:X1=x; }\n P0 ;\n LDRB W0,[X1] ;\nexists (0:X0=1)\n");
        string json = Tmp("nothing-left.json");
        var (exit, output) = await Cli("litmus", bad, "--skip-unsupported", "--json", json);
        Assert.Equal(2, exit);
        Assert.Contains("every test was skipped as unsupported", output.Err);
        Assert.False(File.Exists(json), "the JSON of a command that exited 2 was written");
    }

    /// <summary>
    /// A malformed test is no construct the tool lacks but no litmus test at all: --skip-unsupported does not pass over
    /// it, so a catalogue run cannot hide one behind the skipped count. Each shape is exit 2 naming its file and line, the
    /// other tests explored or not. (Only what no test can be: a condition, header or register herd's grammar may allow
    /// beyond this parser's is unsupported; herd's own regression tests have such.)
    /// </summary>
    [Theory]
    [InlineData("AArch64 m\n{ 0:X1=x; }\n P0 | P2 ;\n LDR W0,[X1] | MOV W1,#1 ;\nexists (0:X0=1)\n", 3, "expected thread P1")]
    [InlineData("AArch64 m\n{ 0:X1=x; }\n P0 ;\n B nowhere ;\nexists (0:X0=1)\n", 4, "unknown label 'nowhere'")]
    [InlineData("AArch64 m\n{ 0:X1=x; }\n P0 ;\n L0: ;\n L0: ;\nexists (0:X0=1)\n", 5, "label defined twice")]
    [InlineData("AArch64 m\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X1] | MOV W1,#1 ;\nexists (0:X0=1)\n", 4, "2 columns, but the test has 1 thread")]
    // A block never closed: its items would run on into the program, whose lines read as unsupported init items.
    [InlineData("AArch64 m\n{\n0:X1=x;\n\n P0 ;\n LDR W2,[X1] ;\nexists (0:X2=0)\n", 2, "the init block is never closed before the program (line 5)")]
    [InlineData("AArch64 m\n{ 0:X1=x;\n LDR W2,[X1] ;\nexists (0:X2=0)\n", 2, "the init block is never closed")]
    [InlineData("AArch64 m\n0:X1=x;\n}\n P0 ;\n LDR W2,[X1] ;\nexists (0:X2=0)\n", 2, "no init block")]
    public async Task SkipUnsupportedStillRefusesAMalformedTest(string text, int line, string reason)
    {
        string bad = Tmp("malformed.litmus", text);
        var (exit, output) = await Cli("litmus", Mp, bad, "--skip-unsupported");
        Assert.Equal(2, exit);
        Assert.Contains($"{bad}:{line}: {reason}", output.Err);
        Assert.DoesNotContain(output.OutLines, l => l.StartsWith("SKIPPED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HelpNamesTheOptions()
    {
        var (exit, output) = await Cli("litmus", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--expect", output.Out);
        Assert.Contains("--skip-unsupported", output.Out);
        Assert.Contains("--json", output.Out);
    }
}
