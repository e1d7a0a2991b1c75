using SmmuActors.Model.Sim;
using Orleans.Serialization.Cloning;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="RunResult"/>; the trace log travels as its entries and is rebuilt on arrival.</summary>
[GenerateSerializer, Alias("smmu.run-result")]
public readonly record struct RunResultSurrogate(
    string TraceHash, long Steps, long EndTime, Violation[] Violations, ulong Coverage, string Outcome,
    long[]? Choices, TraceEntry[]? Trace, bool Truncated, bool Pruned);

/// <summary>
/// A run's result is never changed once the run has finished, so a copy between a grain and a caller in the same process
/// (the embedded silo's client) is the same object: copied through its surrogate, a replay of two million steps held
/// the lane's turn for 6 s (Orleans' long-turn warning) before the client had it.
/// </summary>
[RegisterCopier]
public sealed class RunResultCopier : IDeepCopier<RunResult>, IOptionalDeepCopier
{
    public RunResult? DeepCopy(RunResult? input, CopyContext context) => input;

    public bool IsShallowCopyable() => true;
}

[RegisterConverter]
public sealed class RunResultConverter : IConverter<RunResult, RunResultSurrogate>
{
    public RunResult ConvertFromSurrogate(in RunResultSurrogate s) =>
        new(s.TraceHash, s.Steps, s.EndTime, s.Violations, s.Coverage, s.Outcome, s.Choices, Rebuild(s.Trace), s.Truncated, s.Pruned);

    public RunResultSurrogate ConvertToSurrogate(in RunResult r) =>
        new(r.TraceHash, r.Steps, r.EndTime, r.Violations.ToArray(), r.Coverage, r.Outcome, r.Choices?.ToArray(),
            r.Trace?.Entries.ToArray(), r.Truncated, r.Pruned);

    static TraceLog? Rebuild(TraceEntry[]? entries)
    {
        if (entries is null) return null;
        var log = new TraceLog();
        foreach (var e in entries) log.Add(e.Step, e.Message, [.. e.Events]);
        return log;
    }
}
