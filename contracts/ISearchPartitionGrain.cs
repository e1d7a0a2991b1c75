using Orleans.Concurrency;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Contracts;

/// <summary>
/// One partition of a distributed exhaustive search (<see cref="SearchPartition"/>): it owns the states whose hash
/// falls to it, expands them on a thread of its own, and sends successors to their owners in batches. Keyed by
/// (partition index, attempt): the index spreads partitions over the silos, the attempt names one run of the search.
/// </summary>
[Alias("smmu.search-partition")]
public interface ISearchPartitionGrain : IGrainWithIntegerCompoundKey
{
    /// <summary>Builds the partition (its owner admits the initial state) and starts expanding; starting again changes nothing.</summary>
    [Alias("start")]
    Task Start(PartitionStart start);

    /// <summary>A batch of successors from another partition: queued, and taken in by the partition's thread.</summary>
    [Alias("receive")]
    Task Receive(FrontierBatch batch);

    /// <summary>
    /// States of this partition the cycle proviso expands again, packed by the coordinator
    /// (<see cref="PartitionedGraph.CycleBreakers"/>): sent only while the whole search is quiescent.
    /// </summary>
    [Alias("revisit")]
    Task Revisit(byte[] states);

    /// <summary>Whether the partition is idle, its message counts, and what it adds to the coordinator's graph since the last poll.</summary>
    [Alias("poll")]
    Task<PartitionReport> Poll();

    /// <summary>Stops expanding; what was reported stays, and a last poll has the rest.</summary>
    [Alias("stop"), AlwaysInterleave]
    Task Stop();

    /// <summary>The search is over: stop and free the activation.</summary>
    [Alias("retire")]
    Task Retire();
}

/// <summary>
/// What a partition needs to start: the scenario, how many partitions, the depth bound, its coordinator, the attempt, and
/// whether a violating transition ends its execution (<see cref="SearchLimits.FirstViolation"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.partition-start")]
public sealed record PartitionStart(ScenarioSpec Scenario, int Partitions, long MaxDepth, Guid Search, string Attempt, bool FirstViolation);

/// <summary>A batch of successors for one partition, packed by <see cref="SearchPartition"/>; never changed once sent, so never copied.</summary>
[GenerateSerializer, Immutable, Alias("smmu.frontier-batch")]
public sealed record FrontierBatch(byte[] Data);

/// <summary>
/// A partition's answer to a poll. Idle: nothing to absorb or expand. Sent and Received count batches between
/// partitions, for the coordinator's termination check; Entries, Bytes and Replayed measure its traffic and replay.
/// Not started: this activation never got <see cref="ISearchPartitionGrain.Start"/>, so the partition it stands for
/// was lost with its silo; Error: the partition failed (a batch it sent was lost, or its thread threw).
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.partition-report")]
public sealed record PartitionReport(bool Started, bool Idle, long Sent, long Received, PartitionDelta Delta, string Silo, string? Error,
    long Entries, long Bytes, long Replayed);
