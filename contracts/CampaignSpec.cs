using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Contracts;

/// <summary>
/// Runs [0, Runs) of a seeded random campaign. Lanes and BatchSize shape only the fan-out (0 = chosen
/// from the cluster's size); the result is the same for any value. Investigate asks the campaign to shrink
/// each kind's witness into a counterexample and keep it with its result, for a client that detached.
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.campaign-spec")]
public sealed record CampaignSpec(ScenarioSpec Scenario, ulong Seed, long Runs, int Lanes = 0, long BatchSize = 0, bool Investigate = false);
