namespace SmmuActors.Telemetry;

/// <summary>Span, event and metric attribute names, in the protocol's words.</summary>
public static class SmmuAttributes
{
    /// <summary>On a command's span (run, replay): which command.</summary>
    public const string Command = "smmu.command";

    // The scenario (root span).
    public const string Variant = "smmu.variant";
    public const string Switches = "smmu.switches";
    public const string Workload = "smmu.workload";
    public const string Strategy = "smmu.strategy";
    public const string Seed = "smmu.seed";
    public const string RunIndex = "smmu.run_index";
    public const string Verdict = "smmu.verdict";
    public const string TraceHash = "smmu.trace_hash";
    public const string Steps = "smmu.steps";
    public const string EndTime = "smmu.end_time";

    // One delivery (child span). Times are virtual ticks (1 tick = 1 ns of the modelled machine).
    public const string Step = "smmu.step";
    public const string Source = "smmu.message.source";
    public const string Target = "smmu.message.target";
    public const string Message = "smmu.message.kind";
    public const string SendTime = "smmu.message.send_time";
    public const string DeliveryTime = "smmu.message.delivery_time";
    public const string Delay = "smmu.message.delay";

    // Protocol state just after the delivery.
    public const string Prod = "smmu.llq.prod";
    public const string Cons = "smmu.llq.cons";
    public const string Stop = "smmu.stop";
    public const string SmmuEn = "smmu.smmuen";
    public const string Queue = "smmu.queue";

    public const string Counterexample = "smmu.counterexample";

    // Events.
    public const string ViolationEvent = "violation";
    public const string ViolationKind = "smmu.violation.kind";
    public const string ViolationDetail = "smmu.violation.detail";
    public const string EventA = "smmu.event.a";
    public const string EventB = "smmu.event.b";
}
