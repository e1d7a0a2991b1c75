namespace SmmuActors.Model.Sim;

/// <summary>What one execution produced. Trace and choices are present only when they were recorded.</summary>
public sealed record RunResult(
    string TraceHash,
    long Steps,
    long EndTime,
    IReadOnlyList<Violation> Violations,
    ulong Coverage,
    string Outcome,
    IReadOnlyList<long>? Choices,
    TraceLog? Trace,
    bool Truncated,
    bool Pruned)
{
    public string Verdict => Violations.Count == 0 ? "ok" : "violation";
}
