namespace SmmuActors.Telemetry;

/// <summary>
/// Whether to export, and where: when enabled, spans and metrics go to the console, or to OTLP when
/// an endpoint is given (by --otlp or the standard OTEL_EXPORTER_OTLP_ENDPOINT, which <paramref name="OtlpSource"/> names).
/// </summary>
public sealed record TelemetryOptions(string ServiceName, bool Enabled, string? OtlpEndpoint, bool Orleans, string OtlpSource = TelemetryOptions.OtlpEnvironment)
{
    public const string OtlpEnvironment = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Options from a command line: an explicit --otlp endpoint turns tracing on; the environment
    /// variable only says where traces go once tracing is asked for, so it is not even read otherwise.
    /// </summary>
    public static TelemetryOptions FromCommandLine(string serviceName, bool trace, string? otlp, bool orleans) =>
        otlp is not null ? new(serviceName, true, otlp, orleans, "--otlp")
        : new(serviceName, trace, trace ? NonEmpty(Environment.GetEnvironmentVariable(OtlpEnvironment)) : null, orleans);

    /// <summary>For a silo: exports (over OTLP) only when OTEL_EXPORTER_OTLP_ENDPOINT is set; a console exporter would bury its log.</summary>
    public static TelemetryOptions FromEnvironment(string serviceName) =>
        NonEmpty(Environment.GetEnvironmentVariable(OtlpEnvironment)) is { } endpoint
            ? new(serviceName, true, endpoint, Orleans: true)
            : new(serviceName, false, null, Orleans: true);

    static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>Why the endpoint is not an http(s) URI, naming where it came from; null when it is one or none is given.</summary>
    public string? OtlpProblem => OtlpEndpoint is null || Parse(OtlpEndpoint) is not null ? null
        : $"{OtlpSource}: '{OtlpEndpoint}' is not an http(s) URI such as http://localhost:4317";

    /// <summary>The endpoint as a URI; callers check <see cref="OtlpProblem"/> first.</summary>
    public Uri? OtlpUri => OtlpEndpoint is null ? null : Parse(OtlpEndpoint) ?? throw new ArgumentException(OtlpProblem);

    static Uri? Parse(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u : null;
}
