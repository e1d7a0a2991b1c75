using System.Diagnostics;
using OpenTelemetry;

namespace SmmuActors.Telemetry;

/// <summary>
/// The console form of a trace: one line per span as it ends, so a traced run reads as a per-delivery
/// timeline (step, actors, message, virtual times, queue state, violations), closed by its scenario's
/// line with the trace id. Other spans (the command, Orleans calls when asked for) get a short line.
/// </summary>
public sealed class SpanLines(TextWriter output) : BaseExporter<Activity>
{
    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var a in batch) output.WriteLine(Line(a));
        output.Flush();
        return ExportResult.Success;
    }

    public static string Line(Activity a)
    {
        string Tag(string key) => a.GetTagItem(key)?.ToString() ?? "";
        var violations = string.Concat(a.Events.Where(e => e.Name == SmmuAttributes.ViolationEvent)
            .Select(e => $"  !! {e.Tags.FirstOrDefault(t => t.Key == SmmuAttributes.ViolationKind).Value}"));
        if (a.GetTagItem(SmmuAttributes.Step) is not null)
            return $"  {Tag(SmmuAttributes.Step),5} {a.DisplayName,-44} t={Tag(SmmuAttributes.SendTime)}->{Tag(SmmuAttributes.DeliveryTime)} " +
                $"{Tag(SmmuAttributes.Queue)}{violations}";
        if (a.GetTagItem(SmmuAttributes.Verdict) is not null)
            return $"{a.DisplayName}: {Tag(SmmuAttributes.Verdict)}, {Tag(SmmuAttributes.Steps)} steps, trace id {a.TraceId}{violations}";
        return $"  [{a.Source.Name}] {a.DisplayName} {a.Duration.TotalMilliseconds:F1} ms (trace id {a.TraceId})";
    }
}
