using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace SmmuActors.Telemetry;

/// <summary>
/// The OTLP span exporter, saying once, on stderr, when spans could not be sent: the exporter itself only
/// logs to its own EventSource, so with nothing listening at the endpoint a user would otherwise see no
/// trace and no reason. A subclass, not a wrapper: the exporter takes the service's resource (its
/// service.name) from the provider that its processor hands it, and a wrapped exporter got none, so every
/// span arrived as "unknown_service".
/// </summary>
public sealed class WarningExporter(Uri endpoint, TextWriter? warnings = null) : OtlpTraceExporter(new OtlpExporterOptions { Endpoint = endpoint })
{
    int _warned;

    public override ExportResult Export(in Batch<Activity> batch)
    {
        var result = base.Export(batch);
        if (result == ExportResult.Failure && Interlocked.Exchange(ref _warned, 1) == 0)
            (warnings ?? Console.Error).WriteLine($"warning: could not export spans to {endpoint} (is an OTLP collector listening there?)");
        return result;
    }
}
