using SmmuActors.Model.Exploration;

namespace SmmuActors.Client.Engines;

/// <summary>
/// An exhaustive search's result, the partitions each silo hosted (empty on the local engine, which has no silos), and how
/// often it was searched again from the start because a silo was lost.
/// </summary>
public sealed record SearchOutcome(ExhaustiveResult Search, IReadOnlyDictionary<string, int> PartitionsBySilo, int Restarts = 0);
