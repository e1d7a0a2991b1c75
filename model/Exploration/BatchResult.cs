using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// What a set of runs found, in a form that merges associatively and commutatively: counts per
/// violation kind, and for each kind the lowest run index that showed it with that run's choice
/// list (the witness the investigation pipeline shrinks). However batches are split or placed, the
/// merged result is the same.
/// </summary>
public sealed class BatchResult
{
    public long Runs { get; set; }
    public long Steps { get; set; }
    public long Truncated { get; set; }
    public ulong Coverage { get; set; }
    public Dictionary<ViolationKind, long> ViolationsByKind { get; set; } = new();
    public Dictionary<ViolationKind, Witness> Witnesses { get; set; } = new();
    public Dictionary<string, long> Outcomes { get; set; } = new();

    /// <summary>True when run <paramref name="runIndex"/> shows a kind that has no earlier witness here: its choices are wanted.</summary>
    public bool NeedsWitness(long runIndex, RunResult r) => r.Violations.Any(v => MayTake(v.Kind, runIndex));

    /// <summary>
    /// True when a witness of <paramref name="kind"/> from run <paramref name="runIndex"/> may replace the one kept (none, a
    /// later run's, or one as early whose choices may come later): whether its choices are worth building.
    /// </summary>
    public bool MayTake(ViolationKind kind, long runIndex) => !Witnesses.TryGetValue(kind, out var w) || runIndex <= w.RunIndex;

    /// <summary>Keeps this witness of <paramref name="kind"/> if it goes before the one kept (<see cref="Witness.Precedes"/>).</summary>
    public void Offer(ViolationKind kind, long runIndex, long[] choices, WitnessRun? run = null)
    {
        if (Witness.Precedes(runIndex, choices, Witnesses.GetValueOrDefault(kind))) Witnesses[kind] = new Witness(kind, runIndex, choices, run);
    }

    /// <summary>Counts one run; <paramref name="choices"/> (or the run's own record) replays it, for the witnesses it gives.</summary>
    public void Add(long runIndex, RunResult r, IReadOnlyList<long>? choices = null)
    {
        Count(r);
        choices ??= r.Choices;
        foreach (var v in r.Violations)
        {
            if (!MayTake(v.Kind, runIndex)) continue;
            if (choices is null) throw new InvalidOperationException($"run {runIndex} shows {v.KindName} but its choices were not recorded");
            Offer(v.Kind, runIndex, choices.ToArray(), new WitnessRun(r.TraceHash, r.Steps, v.Detail));
        }
    }

    /// <summary>Counts one run and offers no witness: one known to come after every witness of its kinds.</summary>
    public void Count(RunResult r)
    {
        Runs++;
        Steps += r.Steps;
        if (r.Truncated) Truncated++;
        Coverage |= r.Coverage;
        foreach (var v in r.Violations) ViolationsByKind[v.Kind] = ViolationsByKind.GetValueOrDefault(v.Kind) + 1;
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
        foreach (var (k, w) in o.Witnesses) Offer(k, w.RunIndex, w.Choices, w.Run);
        foreach (var (k, n) in o.Outcomes) Outcomes[k] = Outcomes.GetValueOrDefault(k) + n;
    }

    /// <summary>Same totals, kinds, witnesses and outcomes: how engines, cluster sizes and cuts are compared.</summary>
    public bool SameAs(BatchResult o) =>
        Runs == o.Runs && Steps == o.Steps && Truncated == o.Truncated && Coverage == o.Coverage &&
        Same(ViolationsByKind, o.ViolationsByKind) && Same(Outcomes, o.Outcomes) &&
        Witnesses.Count == o.Witnesses.Count &&
        Witnesses.All(w => o.Witnesses.TryGetValue(w.Key, out var x) && x.RunIndex == w.Value.RunIndex && x.Choices.SequenceEqual(w.Value.Choices));

    static bool Same<TK>(Dictionary<TK, long> a, Dictionary<TK, long> b) where TK : notnull =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
