using System.Diagnostics;
using System.Text.RegularExpressions;
using SmmuActors.Client;
using SmmuActors.Model.Exploration;
using SmmuActors.Telemetry;
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

    /// <summary>
    /// The command's span and the scenario's share one trace on every engine. On the grain engine the scenario's span
    /// is made in a grain: it joined the command's trace only through Orleans' grain-call spans, so without
    /// --orleans-spans the run used to print two traces.
    /// </summary>
    [Theory]
    [InlineData("local")]
    [InlineData("grains")]
    [InlineData("grains", "--orleans-spans")]
    public async Task ATracedRunIsOneTrace(string engine, params string[] extra)
    {
        string err = await TracedRun(["--engine", engine, .. extra]);
        Assert.Matches(new Regex(@"^scenario reviewer-race under recheck-mb: ok, ", RegexOptions.Multiline), err);
        Assert.Matches(new Regex(@"\[SmmuActors\] smmu-actors run ", RegexOptions.Multiline), err);
        var traces = Regex.Matches(err, @"trace id ([0-9a-f]{32})").Select(m => m.Groups[1].Value).ToList();
        Assert.True(traces.Count >= 2, err);
        Assert.Single(traces.Distinct());
    }

    /// <summary>
    /// A replay's scenario span names the run as the command's span does: it said seed 0 (the replaying strategy's) and
    /// carried no run index, on either engine.
    /// </summary>
    [Theory]
    [InlineData("local")]
    [InlineData("grains")]
    public async Task A_replays_scenario_span_carries_the_recorded_seed_and_run_index(string engine)
    {
        string dir = Directory.CreateTempSubdirectory("smmu-replay-trace-").FullName;
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SmmuTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) spans.Add(a); },
        };
        try
        {
            using (new ConsoleCapture())
                Assert.Equal(1, await CliApp.RunAsync(["explore", "--engine", "local", "--variant", "as-posted", "--workload", Race, "--runs", "2000", "--seed", "5", "--out", dir]));
            string file = Directory.GetFiles(dir, "*.json").First();
            var cx = Counterexample.Load(file);
            ActivitySource.AddActivityListener(listener);
            using (new ConsoleCapture()) Assert.Equal(1, await CliApp.RunAsync(["replay", file, "--engine", engine, "--trace"]));
            List<Activity> mine;
            lock (spans) mine = [.. spans];
            var command = Assert.Single(mine, a => (string?)a.GetTagItem(SmmuAttributes.Counterexample) == file);
            var scenario = Assert.Single(mine, a => a.TraceId == command.TraceId && a.GetTagItem(SmmuAttributes.Workload) is not null);
            Assert.Equal((long)cx.Seed, command.GetTagItem(SmmuAttributes.Seed));
            Assert.Equal((long)cx.Seed, scenario.GetTagItem(SmmuAttributes.Seed));
            Assert.Equal(cx.RunIndex, scenario.GetTagItem(SmmuAttributes.RunIndex));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task OrleansSpansOnlyWhenAskedFor()
    {
        Assert.DoesNotContain("[Microsoft.Orleans", await TracedRun("--engine", "grains"));
        // The grain calls' own spans, which the embedded silo records only when it propagates trace context.
        Assert.Contains("[Microsoft.Orleans.Application] IComponentGrain/Deliver", await TracedRun("--engine", "grains", "--orleans-spans"));
    }
}
