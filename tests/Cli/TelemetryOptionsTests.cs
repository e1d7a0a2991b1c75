using SmmuActors.Tests.Support;
using SmmuActors.Client.Engines;
using SmmuActors.Client;
using SmmuActors.Telemetry;

namespace SmmuActors.Tests.Cli;

/// <summary>What the command line turns into: --otlp means trace and send there; a bad endpoint is bad input.</summary>
[Trait("Suite", "Cli")]
public class TelemetryOptionsTests
{
    [Fact]
    public void OtlpEndpointTurnsTracingOnAndIsTheDestination()
    {
        var o = TraceInput.Options(trace: false, otlp: "http://127.0.0.1:4317", engine: EngineKind.Local);
        Assert.True(o.Enabled);
        Assert.Equal(new Uri("http://127.0.0.1:4317"), o.OtlpUri);
        Assert.False(o.Orleans);
    }

    [Fact]
    public void NothingAskedNothingExported()
    {
        Assert.False(TraceInput.Options(trace: false, otlp: null, engine: EngineKind.Grains).Enabled);
    }

    [Fact]
    public void OrleansSpansOnlyOnRequestAndOnlyOnTheGrainEngine()
    {
        Assert.False(TraceInput.Options(trace: true, otlp: null, engine: EngineKind.Grains).Orleans);
        Assert.True(TraceInput.Options(trace: true, otlp: null, engine: EngineKind.Grains, orleansSpans: true).Orleans);
    }

    /// <summary>--orleans-spans where it records nothing was dropped without a word, as --stop-at-first on grains is not.</summary>
    [Theory]
    [InlineData(true, EngineKind.Local, "--orleans-spans: the grain engine only (the local engine makes no grain calls)")]
    [InlineData(false, EngineKind.Grains, "--orleans-spans: adds to a trace; give --trace or --otlp too")]
    public void OrleansSpansWhereTheyRecordNothingAreBadInput(bool trace, EngineKind engine, string message)
    {
        var e = Assert.Throws<InputException>(() => TraceInput.Options(trace, otlp: null, engine, orleansSpans: true));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void AnEndpointThatIsNotAUriIsBadInput()
    {
        var e = Assert.Throws<InputException>(() => TraceInput.Options(trace: false, otlp: "localhost:4317", engine: EngineKind.Local));
        Assert.Contains("--otlp", e.Message);
    }
}

/// <summary>Alone: these set OTEL_EXPORTER_OTLP_ENDPOINT for the whole process, which a traced test beside them would read.</summary>
[CollectionDefinition("otlp variable", DisableParallelization = true)]
public sealed class OtlpVariableCollection;

/// <summary>
/// The variable applies only with --trace: a malformed one refused runs that trace nothing, blaming --otlp, which the
/// user never gave.
/// </summary>
[Collection("otlp variable")]
[Trait("Suite", "Cli")]
public sealed class OtlpVariableTests : IDisposable
{
    public OtlpVariableTests() => Environment.SetEnvironmentVariable(TelemetryOptions.OtlpEnvironment, "garbage");

    public void Dispose() => Environment.SetEnvironmentVariable(TelemetryOptions.OtlpEnvironment, null);

    [Fact]
    public async Task An_untraced_run_ignores_a_malformed_variable()
    {
        Assert.False(TraceInput.Options(trace: false, otlp: null, engine: EngineKind.Local).Enabled);
        using var console = new ConsoleCapture();
        Assert.Equal(0, await CliApp.RunAsync(["run", "--engine", "local", "--variant", "recheck-mb", "--workload", TestPaths.Scenario("reviewer-race.json")]));
        Assert.DoesNotContain("error:", console.Err);
    }

    [Fact]
    public async Task A_traced_run_names_the_variable_not_the_option()
    {
        using var console = new ConsoleCapture();
        Assert.Equal(2, await CliApp.RunAsync(["run", "--engine", "local", "--variant", "recheck-mb", "--workload", TestPaths.Scenario("reviewer-race.json"), "--trace"]));
        Assert.Equal($"error: {TelemetryOptions.OtlpEnvironment}: 'garbage' is not an http(s) URI such as http://localhost:4317", console.Err.Trim());
    }

    [Fact]
    public void An_explicit_otlp_wins_over_the_variable()
    {
        Assert.Equal(new Uri("http://127.0.0.1:4317"), TraceInput.Options(trace: true, otlp: "http://127.0.0.1:4317", engine: EngineKind.Local).OtlpUri);
    }
}

/// <summary>Spans that could not be sent are reported, not silently dropped.</summary>
[Collection("cli")]
[Trait("Suite", "Cli")]
public class OtlpWarningTests
{
    [Fact]
    public async Task NothingListeningIsOneLineOnStderr()
    {
        using var console = new ConsoleCapture();
        // Port 1 on loopback: nothing listens, so the connection is refused at once.
        Assert.Equal(0, await CliApp.RunAsync(["run", "--engine", "local", "--variant", "recheck-mb", "--workload",
            TestPaths.Scenario("reviewer-race.json"), "--otlp", "http://127.0.0.1:1"]));
        var warnings = console.Err.Split('\n').Where(l => l.StartsWith("warning: could not export spans to http://127.0.0.1:1/")).ToList();
        Assert.Single(warnings);
    }

    /// <summary>A campaign's sampled runs are named by their trace ids, as a counterexample's is: it said only how many it traced.</summary>
    [Fact]
    public async Task SampledRunsNameTheirTraceIds()
    {
        using var console = new ConsoleCapture();
        await CliApp.RunAsync(["explore", "--engine", "local", "--variant", "recheck-mb", "--workload", TestPaths.Scenario("reviewer-race.json"),
            "--runs", "20", "--trace-sample", "0.25", "--otlp", "http://127.0.0.1:1"]);
        var line = console.Err.Split('\n').Single(l => l.StartsWith("traced ", StringComparison.Ordinal));
        Assert.Matches(@"^traced 5 sampled runs \(1 run in 4\); trace ids: run 0 [0-9a-f]{32}, run 4 [0-9a-f]{32}, run 8 [0-9a-f]{32}, run 12 [0-9a-f]{32}, run 16 [0-9a-f]{32}\s*$", line);
    }
}
