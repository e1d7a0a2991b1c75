using System.CommandLine;
using SmmuActors.Telemetry;

namespace SmmuActors.Client;

/// <summary>--trace, --otlp and --trace-sample, and turning them into the telemetry set-up.</summary>
public static class TraceInput
{
    public const string ServiceName = "smmu-actors";

    public static Option<bool> Trace(string what) => new("--trace")
    {
        Description = $"export an OpenTelemetry trace of {what}: to the console, or to OTLP with --otlp or {TelemetryOptions.OtlpEnvironment}",
    };

    public static Option<string?> Otlp() => new("--otlp")
    {
        Description = "send traces and metrics to this OTLP/gRPC endpoint, e.g. http://localhost:4317 (turns --trace on)",
    };

    public static Option<double> Sample() => new("--trace-sample")
    {
        Description = "random campaigns: also trace every ceil(1/RATE)-th run (RATE in (0, 1]); by default only counterexamples are traced",
        DefaultValueFactory = _ => 0,
    };

    /// <summary>The set-up the options ask for, or <see cref="InputException"/> for an endpoint that is not a URI.</summary>
    public static TelemetryOptions Options(bool trace, string? otlp, string engine)
    {
        var o = TelemetryOptions.FromCommandLine(ServiceName, trace, otlp, orleans: engine != "local");
        try { _ = o.OtlpUri; }
        catch (ArgumentException e) { throw new InputException($"--otlp: {e.Message}"); }
        return o;
    }
}
