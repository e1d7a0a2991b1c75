using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// The answer to an explore: what ran, how much of the space, what broke and how to see it again. <paramref name="LoadsInOrder"/>:
/// the model's loads were stronger than Armv8 (loads=in-order), so a clean search is no proof under Arm's rules;
/// <paramref name="OwnerProdWaitsNewest"/>: so were the owner's waits, on a workload whose owner_prod may recur
/// (<see cref="ScenarioModel.OwnerProdWaitsStrongerThanArmv8"/>); <paramref name="WorkloadLoadsWait"/>: so were a workload's
/// `load` ops, each followed by a driver op that waits for it (<see cref="ScenarioModel.WorkloadLoadsStrongerThanArmv8"/>);
/// <paramref name="ValidMapPollNewest"/>: so was the owner's poll of a valid map of several words (<see cref="ScenarioModel.ValidMapPollStrongerThanArmv8"/>);
/// <paramref name="UnknownRegisterReads"/>: a CPU may have read an SMMU register no fact gives a value for, which off-reads chose (<see cref="ScenarioModel.RegisterReadsMayBeUnknown"/>);
/// <paramref name="ConsWritebackAssumed"/>: the suspend copied CONS into llq.cons, which no source shows (<see cref="ScenarioModel.ConsWritebackUnsourced"/>);
/// <paramref name="RmwWritesWithRead"/>: so were a CPU's returning RMWs, each writing with its read (<see cref="ScenarioModel.RmwWritesStrongerThanArmv8"/>);
/// <paramref name="SmmuStricter"/>: the SMMU was stricter than SMMUv3 (<see cref="ScenarioModel.SmmuStricterThanSmmuV3"/>);
/// <paramref name="MsiSurvivesPowerOff"/>: a CMD_SYNC's MSI survived a power-off, which SMMUv3 leaves open (<see cref="ScenarioModel.MsiSurvivesPowerOff"/>);
/// <paramref name="FirstViolation"/>: the search ended each
/// execution at its first violation, so the kinds are those some execution shows first. <paramref name="Transitions"/> and
/// <paramref name="Depth"/>: a search's transitions explored and the depth of its state graph (<see cref="ExhaustiveResult"/>);
/// null for random runs.
/// </summary>
public sealed record ExploreSummary(
    string Variant,
    IReadOnlyList<string> Switches,
    string Workload,
    string Strategy,
    string Engine,
    ulong Seed,
    long Runs,
    long StatesExplored,
    bool Exhausted,
    long Truncated,
    IReadOnlyDictionary<string, long> ViolationsByKind,
    IReadOnlyList<CounterexampleRef> Counterexamples,
    IReadOnlyDictionary<string, long> Outcomes,
    IReadOnlyList<string> BranchesReached,
    IReadOnlyList<string> BranchesMissed,
    double Seconds,
    string? IncompleteReason = null,
    bool LoadsInOrder = false,
    bool OwnerProdWaitsNewest = false,
    bool Unreduced = false,
    bool FirstViolation = false,
    long? Transitions = null,
    int? Depth = null,
    bool WorkloadLoadsWait = false,
    bool ValidMapPollNewest = false,
    bool SmmuStricter = false,
    bool MsiSurvivesPowerOff = false,
    bool RmwWritesWithRead = false,
    bool UnknownRegisterReads = false,
    bool ConsWritebackAssumed = false);

/// <summary>
/// A counterexample as the summary lists it: where it and its chart were saved, how to replay it, how large it was before
/// shrinking, and whether that shrinking was stopped before it finished.
/// </summary>
public sealed record CounterexampleRef(string Kind, string Detail, ulong Seed, long RunIndex, string TraceHash, long Steps, string? File, string? Replay,
    long? StepsBeforeShrink = null, string? Chart = null, string? TraceId = null, bool? ShrinkCutShort = null, string? NotSaved = null,
    string? ChartNotSaved = null);

/// <summary>Progress of a long exploration, for the client's live display.</summary>
/// <param name="Again">
/// The search met maxStates, or with --stop-at-first a violation, on several workers and runs again on one (where it
/// stops on several depends on timing): the counts start over from the root.
/// </param>
public readonly record struct ExploreProgress(long Done, long Total, long Violations, long States, bool Again = false);
