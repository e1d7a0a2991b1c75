namespace SmmuActors.Telemetry;

/// <summary>
/// Whether to export, and where: when enabled, spans and metrics go to the console, or to OTLP when
/// an endpoint is given (by --otlp or the standard OTEL_EXPORTER_OTLP_ENDPOINT).
/// </summary>
public sealed record TelemetryOptions(string ServiceName, bool Enabled, string? OtlpEndpoint, bool Orleans)
{
    public const string OtlpEnvironment = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Options from a command line: an explicit --otlp endpoint turns tracing on; the environment
    /// variable only says where traces go once tracing is asked for.
    /// </summary>
    public static TelemetryOptions FromCommandLine(string serviceName, bool trace, string? otlp, bool orleans) =>
        new(serviceName, trace || otlp is not null, otlp ?? NonEmpty(Environment.GetEnvironmentVariable(OtlpEnvironment)), orleans);

    /// <summary>For a silo: exports (over OTLP) only when OTEL_EXPORTER_OTLP_ENDPOINT is set; a console exporter would bury its log.</summary>
    public static TelemetryOptions FromEnvironment(string serviceName) =>
        NonEmpty(Environment.GetEnvironmentVariable(OtlpEnvironment)) is { } endpoint
            ? new(serviceName, true, endpoint, Orleans: true)
            : new(serviceName, false, null, Orleans: true);

    static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>The endpoint as a URI, or a message saying why it is not one.</summary>
    public Uri? OtlpUri => OtlpEndpoint is null ? null
        : Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u
        : throw new ArgumentException($"OTLP endpoint '{OtlpEndpoint}' is not an http(s) URI such as http://localhost:4317");
}
