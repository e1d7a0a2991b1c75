using System.Diagnostics;
using OpenTelemetry.Trace;

namespace SmmuActors.Telemetry;

/// <summary>
/// Keeps a span when its parent was kept, and starts a trace only for SmmuActors' own roots (a
/// command or a scenario, recognised by the attribute it carries from the start). Every other root
/// is dropped with all it leads to: with Orleans' activity propagation on, a campaign's grain calls
/// would otherwise each be a traced span, one per delivery, and flood the exporter.
/// </summary>
public sealed class OwnRootsSampler : Sampler
{
    public override SamplingResult ShouldSample(in SamplingParameters p)
    {
        bool keep = p.ParentContext.TraceId != default
            ? (p.ParentContext.TraceFlags & ActivityTraceFlags.Recorded) != 0
            : IsOwnRoot(p.Tags);
        return new SamplingResult(keep ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
    }

    static bool IsOwnRoot(IEnumerable<KeyValuePair<string, object?>>? tags) =>
        tags?.Any(t => t.Key is SmmuAttributes.Command or SmmuAttributes.Workload) == true;
}
