using Orleans.Concurrency;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Contracts;

/// <summary>
/// The coordinator of a distributed exhaustive search: it spreads partitions (<see cref="ISearchPartitionGrain"/>) over
/// every silo, hands out the maxStates bound, detects the end, and gathers the graph the verdicts are read from.
/// </summary>
[Alias("smmu.distributed-search")]
public interface IDistributedSearchGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Searches the scenario on <paramref name="partitions"/> partitions (0: one per core of every silo). A search of a
    /// large bound can take minutes: longer than Orleans' default 30 s response timeout.
    /// </summary>
    [Alias("explore"), ResponseTimeout("01:00:00")]
    Task<DistributedSearch> Explore(ScenarioSpec scenario, TimeSpan? timeout = null, int partitions = 0, CancellationToken cancel = default);

    /// <summary>Ends the running search, which returns the states searched so far as INCOMPLETE (cancelled).</summary>
    [Alias("stop"), AlwaysInterleave]
    Task Stop();

    /// <summary>Leave for a partition of <paramref name="attempt"/> to admit more states; 0 once the bound is given out.</summary>
    [Alias("grant"), AlwaysInterleave]
    Task<long> Grant(string attempt);

    /// <summary>Distinct states so far.</summary>
    [Alias("progress"), AlwaysInterleave]
    Task<long> Progress();
}

/// <summary>
/// A distributed search's result and where it ran: partitions and states per silo, the batches between partitions
/// (count, successors, bytes), the bytes of the partitions' reports to the coordinator, deliveries replayed to rebuild
/// states, and how often it was started again on the surviving silos after one was lost.
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.distributed-search-result")]
public sealed record DistributedSearch(ExhaustiveResult Search, int Partitions, Dictionary<string, int> PartitionsBySilo, Dictionary<string, long> StatesBySilo,
    long Batches, long Entries, long BatchBytes, long ReportBytes, long Replayed, int Restarts);
