using SmmuActors.Model.Protocol;

namespace SmmuActors.Model.Scenario;

public sealed record IovaSpec(string Name, bool Mapped, bool InTlb);

public sealed record ThreadSpec(string Name, IReadOnlyList<long> Start, Op[] Program);

/// <summary>
/// How delays are drawn. Random: uniform in [Min, Max], or with LongProbability a long delay up
/// to LongMax (the rare overtaking). Exhaustive: every posted write and SMMU memory read takes
/// each value of Menu, at most MaxDelayed of them above Menu[0] per execution.
/// </summary>
public sealed record DelaySpec(long Min, long Max, double LongProbability, long LongMax, IReadOnlyList<long> Menu, int MaxDelayed)
{
    public static DelaySpec Default { get; } = new(1, 3, 0.02, 300, [1, 300], 1);
}

public sealed record PinSpec(string From, string Message, int Nth, long Delay);

public sealed record Bounds(long MaxSteps, long MaxStates)
{
    public static Bounds Default { get; } = new(100_000, 2_000_000);
}

/// <summary>A workload: the queue, the IOVAs, the threads' programs, delays, pins and bounds.</summary>
public sealed record Workload(
    string Name,
    string Description,
    int QueueShift,
    IReadOnlyList<IovaSpec> Iovas,
    IReadOnlyList<string> Vars,
    IReadOnlyList<ThreadSpec> Threads,
    DelaySpec Delays,
    IReadOnlyList<PinSpec> Pins,
    Bounds Bounds,
    long DrainTimeout,
    string SourceText)
{
    public ScenarioNames Names => new(Threads.Select(t => t.Name).ToList(), Iovas.Select(i => i.Name).ToList(), Vars);
}
