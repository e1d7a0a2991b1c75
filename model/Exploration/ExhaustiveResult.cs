using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// What an exhaustive search found: the merged runs, the choice list of the first run showing each
/// violation kind, the distinct states seen, and whether the whole bounded space was covered.
/// </summary>
public sealed record ExhaustiveResult(BatchResult Result, Dictionary<string, long[]> Witnesses, long States, bool Exhausted);
