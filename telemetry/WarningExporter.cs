using System.Diagnostics;
using OpenTelemetry;

namespace SmmuActors.Telemetry;

/// <summary>
/// Passes spans to the OTLP exporter and says once, on stderr, when they could not be sent: the
/// exporter itself only logs to its own EventSource, so with nothing listening at the endpoint a
/// user would otherwise see no trace and no reason.
/// </summary>
public sealed class WarningExporter(BaseExporter<Activity> inner, Uri endpoint, TextWriter? warnings = null) : BaseExporter<Activity>
{
    int _warned;

    public override ExportResult Export(in Batch<Activity> batch)
    {
        var result = inner.Export(batch);
        if (result == ExportResult.Failure && Interlocked.Exchange(ref _warned, 1) == 0)
            (warnings ?? Console.Error).WriteLine($"warning: could not export spans to {endpoint} (is an OTLP collector listening there?)");
        return result;
    }

    protected override bool OnForceFlush(int timeoutMilliseconds) => inner.ForceFlush(timeoutMilliseconds);

    protected override bool OnShutdown(int timeoutMilliseconds) => inner.Shutdown(timeoutMilliseconds);

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
