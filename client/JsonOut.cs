using System.Text.Json;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Client;

/// <summary>The machine-readable results the commands write with --json (whole file or nothing).</summary>
public static class JsonOut
{
    public static void Write(string? path, object value)
    {
        if (path is null) return;
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Counterexample.Json));
    }

    public static Dictionary<string, object?> Run(string variant, string workload, string strategy, ulong seed, RunResult r) => new()
    {
        ["variant"] = variant,
        ["workload"] = workload,
        ["strategy"] = strategy,
        ["seed"] = seed,
        ["verdict"] = r.Verdict,
        ["violations"] = r.Violations.Select(v => new { kind = v.KindName, v.Step, v.Time, v.Detail }).ToList(),
        ["traceHash"] = r.TraceHash,
        ["steps"] = r.Steps,
        ["endTime"] = r.EndTime,
        ["outcome"] = r.Outcome,
        ["truncated"] = r.Truncated,
    };
}
