using System.Text.RegularExpressions;
using SmmuActors.Client;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// `run --trace` without a collector prints the trace as a timeline on stderr, a line per delivery and
/// the scenario's line with its trace id, not the exporter's raw dump; Orleans' own spans only on request.
/// </summary>
[Collection("cli")]
[Trait("Suite", "Cli")]
public sealed class TraceConsoleTests
{
    static readonly string Race = TestPaths.Scenario("reviewer-race.json");

    static async Task<string> TracedRun(params string[] extra)
    {
        using var capture = new ConsoleCapture();
        Assert.Equal(0, await CliApp.RunAsync(["run", "--variant", "recheck-mb", "--workload", Race, "--trace", .. extra]));
        return capture.Err;
    }

    [Fact]
    public async Task ATracedRunReadsAsATimeline()
    {
        string err = await TracedRun("--engine", "local");
        Assert.Matches(new Regex(@"^\s+1 pm -> pm start\s+t=\d+->\d+", RegexOptions.Multiline), err);
        Assert.Matches(new Regex(@"^scenario reviewer-race under recheck-mb: ok, \d+ steps, trace id [0-9a-f]{32}", RegexOptions.Multiline), err);
        Assert.DoesNotContain("Activity.TraceId", err);
    }

    [Fact]
    public async Task OrleansSpansOnlyWhenAskedFor()
    {
        Assert.DoesNotContain("[Microsoft.Orleans", await TracedRun("--engine", "grains"));
        Assert.Contains("[Microsoft.Orleans", await TracedRun("--engine", "grains", "--orleans-spans"));
    }
}
