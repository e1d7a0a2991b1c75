using System.Diagnostics;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Telemetry;

/// <summary>
/// Turns one run into one trace: a root span for the scenario and a child span per delivery with
/// the actors, the virtual send and delivery times, the injected delay and the queue state just
/// after it; a violation is an event on the span of the step that detected it (end-of-run
/// violations on the root). The root span becomes Activity.Current while the run goes on, so
/// grain calls made meanwhile (Orleans activity propagation) join the same trace. A delivery span
/// lasts from the previous delivery to this one in real time: what handling it cost.
/// Without a listener on <see cref="SmmuTelemetry.Source"/> it records nothing.
/// </summary>
public sealed class ScenarioTracer : IRunObserver
{
    readonly ScenarioModel _model;
    readonly Activity? _root;
    readonly QueueWatch _watch = new();
    int _violationsReported;
    DateTime _last;

    /// <param name="parent">The span this scenario belongs under; default: the current activity, if any.</param>
    public ScenarioTracer(ScenarioModel model, string strategy, ulong seed, long? runIndex = null, ActivityContext parent = default)
    {
        _model = model;
        // Set at creation, so a sampler sees that this is a scenario (see OwnRootsSampler).
        _root = SmmuTelemetry.Source.StartActivity($"scenario {model.Workload.Name} under {model.Variant.Preset}", ActivityKind.Internal, parentContext: parent,
            tags: [new(SmmuAttributes.Workload, model.Workload.Name), new(SmmuAttributes.Variant, model.Variant.Preset)]);
        if (_root is null) return;
        _root.SetTag(SmmuAttributes.Switches, string.Join(" ", Variants.Describe(model.Variant)));
        _root.SetTag(SmmuAttributes.Strategy, strategy);
        _root.SetTag(SmmuAttributes.Seed, (long)seed);
        if (runIndex is { } i) _root.SetTag(SmmuAttributes.RunIndex, i);
        _last = _root.StartTimeUtc;
    }

    /// <summary>The scenario's trace id, or null when nothing listens.</summary>
    public ActivityTraceId? TraceId => _root?.TraceId;

    public void Delivered(long step, in Message m, IReadOnlyList<ModelEvent> events, IReadOnlyList<Violation> newViolations)
    {
        _watch.Apply(m, events);
        if (_root is null) return;
        var names = _model.Names;
        var now = DateTime.UtcNow;
        string message = MessageNames.Describe(_model.Layout, names, m);
        var span = SmmuTelemetry.Source.StartActivity($"{names.Actor(m.Src)} -> {names.Actor(m.Dst)} {message}", ActivityKind.Internal, _root.Context, startTime: _last);
        _last = now;
        if (span is null) return;
        span.SetTag(SmmuAttributes.Step, step);
        span.SetTag(SmmuAttributes.Source, names.Actor(m.Src));
        span.SetTag(SmmuAttributes.Target, names.Actor(m.Dst));
        span.SetTag(SmmuAttributes.Message, message);
        span.SetTag(SmmuAttributes.SendTime, m.SendTime);
        span.SetTag(SmmuAttributes.DeliveryTime, m.Time);
        span.SetTag(SmmuAttributes.Delay, m.Delay);
        span.SetTag(SmmuAttributes.Prod, (long)_watch.Prod);
        span.SetTag(SmmuAttributes.Cons, (long)_watch.Cons);
        span.SetTag(SmmuAttributes.Stop, _watch.Stop);
        span.SetTag(SmmuAttributes.SmmuEn, _watch.SmmuEn);
        span.SetTag(SmmuAttributes.Queue, _watch.Describe(_model.Layout.Q));
        for (int i = 0; i < events.Count; i++)
            if (events[i].Kind() != EventKind.Branch)
                span.AddEvent(new ActivityEvent(events[i].Kind.ToString(), tags: new ActivityTagsCollection
                {
                    [SmmuAttributes.EventA] = events[i].A,
                    [SmmuAttributes.EventB] = events[i].B,
                }));
        AddViolations(span, newViolations);
        span.SetEndTime(now);
        span.Stop();
        // The delivery span was Current only while it was built; the scenario stays current for what follows.
        Activity.Current = _root;
    }

    public void Finished(RunResult result)
    {
        if (_root is null) return;
        AddViolations(_root, result.Violations.Skip(_violationsReported).ToArray());
        _root.SetTag(SmmuAttributes.Verdict, result.Verdict);
        _root.SetTag(SmmuAttributes.TraceHash, result.TraceHash);
        _root.SetTag(SmmuAttributes.Steps, result.Steps);
        _root.SetTag(SmmuAttributes.EndTime, result.EndTime);
        if (result.Violations.Count > 0) _root.SetStatus(ActivityStatusCode.Error, string.Join(", ", result.Violations.Select(v => v.KindName)));
        _root.Stop();
    }

    void AddViolations(Activity span, IReadOnlyList<Violation> violations)
    {
        foreach (var v in violations)
        {
            span.AddEvent(new ActivityEvent(SmmuAttributes.ViolationEvent, tags: new ActivityTagsCollection
            {
                [SmmuAttributes.ViolationKind] = v.KindName,
                [SmmuAttributes.ViolationDetail] = v.Detail,
                [SmmuAttributes.Step] = v.Step,
                [SmmuAttributes.DeliveryTime] = v.Time,
            }));
            span.SetStatus(ActivityStatusCode.Error, v.KindName);
            _violationsReported++;
        }
    }
}
