using SmmuActors.Client;
using SmmuActors.Telemetry;

namespace SmmuActors.Tests.Telemetry;

/// <summary>What the command line turns into: --otlp means trace and send there; a bad endpoint is bad input.</summary>
public class TelemetryOptionsTests
{
    [Fact]
    public void OtlpEndpointTurnsTracingOnAndIsTheDestination()
    {
        var o = TraceInput.Options(trace: false, otlp: "http://127.0.0.1:4317", engine: "local");
        Assert.True(o.Enabled);
        Assert.Equal(new Uri("http://127.0.0.1:4317"), o.OtlpUri);
        Assert.False(o.Orleans);
    }

    [Fact]
    public void NothingAskedNothingExported()
    {
        Assert.False(TraceInput.Options(trace: false, otlp: null, engine: "grains").Enabled);
    }

    [Fact]
    public void GrainEngineAddsOrleansSourcesUnlessACampaignLeavesThemOff()
    {
        Assert.True(TraceInput.Options(trace: true, otlp: null, engine: "grains").Orleans);
        Assert.False(TraceInput.Options(trace: true, otlp: null, engine: "grains", orleansSpans: false).Orleans);
    }

    [Fact]
    public void AnEndpointThatIsNotAUriIsBadInput()
    {
        var e = Assert.Throws<InputException>(() => TraceInput.Options(trace: false, otlp: "localhost:4317", engine: "local"));
        Assert.Contains("--otlp", e.Message);
    }
}
