using SmmuActors.Model.Exploration;

namespace SmmuActors.Client.Engines;

/// <summary>An exhaustive search's result and the partitions each silo hosted (empty on the local engine, which has no silos).</summary>
public sealed record SearchOutcome(ExhaustiveResult Search, IReadOnlyDictionary<string, int> PartitionsBySilo);
