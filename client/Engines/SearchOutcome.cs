using SmmuActors.Model.Exploration;

namespace SmmuActors.Client.Engines;

/// <summary>
/// An exhaustive search's result, the partitions each silo hosted (empty on the local engine, which has no silos), and how
/// often it was searched again from the start because a silo was lost; <paramref name="Again"/>: a bound cut the
/// partitioned search, and this is its search again on one worker.
/// </summary>
public sealed record SearchOutcome(ExhaustiveResult Search, IReadOnlyDictionary<string, int> PartitionsBySilo, int Restarts = 0, bool Again = false);
