using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// What a set of runs found, in a form that merges associatively and commutatively: counts per
/// violation kind and the lowest run index that showed each kind. However batches are split or
/// placed, the merged result is the same.
/// </summary>
public sealed class BatchResult
{
    public long Runs { get; set; }
    public long Steps { get; set; }
    public long Truncated { get; set; }
    public ulong Coverage { get; set; }
    public Dictionary<string, long> ViolationsByKind { get; set; } = new();
    public Dictionary<string, long> FirstRunByKind { get; set; } = new();
    public Dictionary<string, long> Outcomes { get; set; } = new();

    public void Add(long runIndex, RunResult r)
    {
        Runs++;
        Steps += r.Steps;
        if (r.Truncated) Truncated++;
        Coverage |= r.Coverage;
        foreach (var v in r.Violations)
        {
            ViolationsByKind[v.KindName] = ViolationsByKind.GetValueOrDefault(v.KindName) + 1;
            if (!FirstRunByKind.TryGetValue(v.KindName, out var first) || runIndex < first) FirstRunByKind[v.KindName] = runIndex;
        }
        // A pruned or truncated run stopped before its end: its observations are not a final outcome.
        if (r.Outcome.Length > 0 && !r.Pruned && !r.Truncated) Outcomes[r.Outcome] = Outcomes.GetValueOrDefault(r.Outcome) + 1;
    }

    public void Merge(BatchResult o)
    {
        Runs += o.Runs;
        Steps += o.Steps;
        Truncated += o.Truncated;
        Coverage |= o.Coverage;
        foreach (var (k, n) in o.ViolationsByKind) ViolationsByKind[k] = ViolationsByKind.GetValueOrDefault(k) + n;
        foreach (var (k, i) in o.FirstRunByKind)
            if (!FirstRunByKind.TryGetValue(k, out var first) || i < first) FirstRunByKind[k] = i;
        foreach (var (k, n) in o.Outcomes) Outcomes[k] = Outcomes.GetValueOrDefault(k) + n;
    }
}
