using Orleans.Concurrency;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Contracts;

/// <summary>
/// A worker lane: the interconnect of the scenario it is running (virtual clock, messages in flight)
/// and the campaign worker that runs batches of seeds one after another on the same component grains.
/// Keyed by (lane index, group): the group is a campaign or a client, the index spreads lanes over silos.
/// </summary>
[Alias("smmu.fabric")]
public interface IFabricGrain : IGrainWithIntegerCompoundKey
{
    /// <summary>
    /// One execution with its trace and choices recorded, and a telemetry trace when a listener is attached. Cancelled,
    /// the lane stops within one round, so a long run does not keep the silo busy after its caller gave up; <see cref="Cut"/>
    /// ends it there too, and the run comes back pruned with what it did so far.
    /// <paramref name="traceParent"/> is the caller's span (W3C traceparent): the scenario's span joins the caller's
    /// trace even when Orleans' own grain-call spans, which would carry it, are not recorded. <paramref name="runIndex"/>
    /// is only for that trace: the run's index in the campaign that found it, if any.
    /// </summary>
    [Alias("run")]
    Task<RunResult> Run(ScenarioSpec scenario, StrategySpec strategy, long? runIndex = null, string? traceParent = null, CancellationToken cancel = default);

    /// <summary>
    /// Ends the <see cref="Run"/> under way at its next sweep, which then returns the run cut short. A stop needs this
    /// rather than the call's token: a cancelled grain call ends at once in its caller, without the grain's answer.
    /// Interleaved, since the run it cuts holds the lane's turn.
    /// </summary>
    [Alias("cut"), AlwaysInterleave]
    Task Cut();

    /// <summary>Runs [from, to) of a seeded random campaign; run i has the seed the local engine gives it.</summary>
    [Alias("run-batch")]
    Task<LaneBatch> RunBatch(ScenarioSpec scenario, ulong seed, long from, long to, CancellationToken cancel = default);

    /// <summary>The trace hash of each run in [from, to) of a seeded random campaign.</summary>
    [Alias("trace-hashes")]
    Task<LaneTraces> TraceHashes(ScenarioSpec scenario, ulong seed, long from, long to, CancellationToken cancel = default);

    /// <summary>The lane's work is over: free its component grains and itself.</summary>
    [Alias("retire")]
    Task Retire();
}
