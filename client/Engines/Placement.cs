namespace SmmuActors.Client.Engines;

/// <summary>
/// Where an exploration ran: the engine, the process or cluster, and for a campaign on grains how many
/// batches each silo ran (so an uneven spread, or a silo that ran nothing, shows).
/// </summary>
public sealed record Placement(string Engine, string Where, IReadOnlyDictionary<string, int> BatchesBySilo)
{
    public int Silos => BatchesBySilo.Count;
}
