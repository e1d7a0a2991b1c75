using SmmuActors.Model.Exploration;

namespace SmmuActors.Client.Engines;

/// <summary>
/// A random campaign's merged result and how its batches were spread: silo → batches merged from it
/// (empty on the local engine, which has no silos). Cancelled, the result holds the batches finished.
/// </summary>
public sealed record CampaignOutcome(BatchResult Result, IReadOnlyDictionary<string, int> BatchesBySilo);
