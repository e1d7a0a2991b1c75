using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="RunResult"/>; the trace log travels as its entries and is rebuilt on arrival.</summary>
[GenerateSerializer, Alias("smmu.run-result")]
public readonly record struct RunResultSurrogate(
    string TraceHash, long Steps, long EndTime, Violation[] Violations, ulong Coverage, string Outcome,
    long[]? Choices, TraceEntry[]? Trace, bool Truncated, bool Pruned);

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
