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
        Assert.False(TraceInput.Options(trace: true, otlp: null, engine: EngineKind.Local, orleansSpans: true).Orleans);
    }

    [Fact]
    public void AnEndpointThatIsNotAUriIsBadInput()
    {
        var e = Assert.Throws<InputException>(() => TraceInput.Options(trace: false, otlp: "localhost:4317", engine: EngineKind.Local));
        Assert.Contains("--otlp", e.Message);
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
}
