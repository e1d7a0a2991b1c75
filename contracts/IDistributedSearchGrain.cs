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
    /// Starts searching the scenario on <paramref name="partitions"/> partitions (0: one per core of every silo) and returns
    /// at once: the search runs in the cluster, and the caller follows it with <see cref="Poll"/>, so a gateway lost on the
    /// way costs a poll, not the search's answer. Starting it again changes nothing. <paramref name="firstViolation"/>: each
    /// execution ends at its first violation (<see cref="SearchLimits.FirstViolation"/>). A search not polled for
    /// <paramref name="abandonedAfter"/> (null: a minute, longer than a poll through a lost gateway takes to fail) has
    /// lost its caller, who alone can take its result, and stops, as after <see cref="Stop"/>.
    /// </summary>
    [Alias("start")]
    Task Start(ScenarioSpec scenario, TimeSpan? timeout = null, int partitions = 0, bool firstViolation = false, TimeSpan? abandonedAfter = null);

    /// <summary>The search's state once it has ended, or after <paramref name="wait"/>, whichever is first.</summary>
    [Alias("poll"), AlwaysInterleave]
    Task<SearchStatus> Poll(TimeSpan wait);

    /// <summary>Ends the running search, which then finishes with the states searched so far as INCOMPLETE (cancelled).</summary>
    [Alias("stop"), AlwaysInterleave]
    Task Stop();

    /// <summary>The caller has the result: free the activation.</summary>
    [Alias("close")]
    Task Close();

    /// <summary>Leave for a partition of <paramref name="attempt"/> to admit more states; 0 once the bound is given out.</summary>
    [Alias("grant"), AlwaysInterleave]
    Task<long> Grant(string attempt);
}

/// <summary>
/// Where a distributed search is: not started (this coordinator knows no search), the distinct states and violating
/// transitions so far, and once it has ended its result, or the error that ended it. <paramref name="Again"/>: a bound
/// cut the partitioned search, and it is being searched again on one worker (its counts start again from zero).
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.search-status")]
public sealed record SearchStatus(bool Started, long States, DistributedSearch? Result, string? Error, long Violations = 0, bool Again = false);

/// <summary>
/// A distributed search's result and where it ran: partitions and states per silo, the batches between partitions
/// (count, successors, bytes), the bytes of the partitions' reports to the coordinator, deliveries replayed to rebuild
/// states, and how often it was started again on the surviving silos after one was lost. A search a bound cut is the
/// coordinator's search again on one worker (<see cref="ExhaustiveResult.Again"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.distributed-search-result")]
public sealed record DistributedSearch(ExhaustiveResult Search, int Partitions, Dictionary<string, int> PartitionsBySilo, Dictionary<string, long> StatesBySilo,
    long Batches, long Entries, long BatchBytes, long ReportBytes, long Replayed, int Restarts);
