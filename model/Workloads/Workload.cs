using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Model.Workloads;

public sealed record IovaSpec(string Name, bool Mapped, bool InTlb);

public sealed record ThreadSpec(string Name, IReadOnlyList<long> Start, Op[] Program);

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
