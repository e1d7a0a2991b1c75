using SmmuActors.Grains.Hosting;
using System.CommandLine;
using SmmuActors.Client.Engines;
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
        CustomParser = InvariantNumbers.Decimal,
        Description = "random campaigns: also trace every ceil(1/RATE)-th run (RATE in (0, 1]); by default only counterexamples are traced",
        DefaultValueFactory = _ => 0,
    };

    /// <summary>
    /// The set-up the options ask for, or <see cref="InputException"/> for an endpoint that is not a URI, naming --otlp or the variable it came from.
    /// <paramref name="orleansSpans"/>: also record Orleans' grain-call spans (single runs on the grain
    /// engine); a campaign leaves them off, since even dropped spans cost it a span object per call.
    /// </summary>
    public static Option<bool> OrleansSpans() => new("--orleans-spans")
    {
        Description = "also trace Orleans' own spans (grain calls, activations) on the grain engine; off by default",
    };

    public static TelemetryOptions Options(bool trace, string? otlp, EngineKind engine, bool orleansSpans = false)
    {
        // Refused rather than dropped: a user who asked for Orleans' spans and got none would look for them in vain.
        if (orleansSpans && engine == EngineKind.Local) throw new InputException("--orleans-spans: the grain engine only (the local engine makes no grain calls)");
        var o = TelemetryOptions.FromCommandLine(ServiceName, trace, otlp, orleans: orleansSpans);
        if (orleansSpans && !o.Enabled) throw new InputException("--orleans-spans: adds to a trace; give --trace or --otlp too");
        return o.OtlpProblem is { } problem ? throw new InputException(problem) : o;
    }
}
