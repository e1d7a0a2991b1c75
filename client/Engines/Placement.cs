namespace SmmuActors.Client.Engines;

/// <summary>
/// Where an exploration ran: the engine, the process or cluster, and on grains how the work was spread: for a
/// campaign the batches each silo ran, for an exhaustive search the partitions each silo hosted (so an uneven
/// spread, or a silo that did nothing, shows); and how often a search was started again because a silo was lost (its
/// result is the same, its time is not), or searched again on one worker because a bound cut it (<paramref name="Again"/>).
/// </summary>
public sealed record Placement(string Engine, string Where, IReadOnlyDictionary<string, int> BatchesBySilo, IReadOnlyDictionary<string, int> PartitionsBySilo,
    int Restarts = 0, bool Again = false)
{
    public int Silos => BatchesBySilo.Keys.Union(PartitionsBySilo.Keys).Count();
}
