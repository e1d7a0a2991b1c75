using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Model.Workloads;

/// <summary>
/// A scenario as plain data (the workload's text and every switch of the variant), so it can travel
/// to another process or silo and be rebuilt there into exactly the same model.
/// </summary>
public sealed record ScenarioSpec(string WorkloadPath, string WorkloadText, string Preset, string[] Settings)
{
    public static ScenarioSpec From(ScenarioModel model, string workloadPath) =>
        new(workloadPath, model.Workload.SourceText, model.Variant.Preset, Variants.AllSettings(model.Variant).ToArray());

    /// <summary>Same scenario by content: a spec that crossed a silo boundary is a new object but the same scenario.</summary>
    public bool SameAs(ScenarioSpec o) =>
        ReferenceEquals(this, o) ||
        (Preset == o.Preset && WorkloadPath == o.WorkloadPath && WorkloadText == o.WorkloadText && Settings.SequenceEqual(o.Settings));

    public ScenarioModel Build() =>
        new(WorkloadLoader.Parse(WorkloadText, WorkloadPath), Variants.Build(Preset, Settings));
}

/// <summary>How one run chooses: a seeded random run, or a replayed choice list (untimed: an exhaustive search's witness).</summary>
public sealed record StrategySpec(bool Replay, ulong Seed, long[] Choices, bool Untimed = false, bool Probe = false)
{
    public static StrategySpec Random(ulong seed) => new(false, seed, []);

    /// <summary><paramref name="probe"/>: an untimed witness of a wait that can never end, checked where it stops.</summary>
    public static StrategySpec FromChoices(IEnumerable<long> choices, bool untimed = false, bool probe = false) => new(true, 0, choices.ToArray(), untimed, probe);

    public IStrategy Create(DelaySpec delays) =>
        Replay ? new ReplayStrategy(Choices, delays, Untimed) : new RandomStrategy(Seed, delays);
}
