using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Client.Engines;

/// <summary>Where scenarios run: in this process (local) or as Orleans grains (embedded silo or a cluster).</summary>
public interface IEngineHost : IAsyncDisposable
{
    EngineKind Kind { get; }

    /// <summary>Where the model runs, in words: this process, a silo embedded in it, or which cluster.</summary>
    string Where { get; }

    /// <summary>
    /// One execution, with its trace and choices recorded. <paramref name="runIndex"/> is the run's index in the campaign
    /// that found it (a counterexample's), for its telemetry trace; null for a run of its own. Cancelled while it runs, a
    /// timed run ends within a step or a sweep and comes back pruned (<see cref="RunResult.Pruned"/>) with what it did so far.
    /// </summary>
    Task<RunResult> RunAsync(ScenarioSpec scenario, StrategySpec strategy, long? runIndex, CancellationToken cancel);

    /// <summary>
    /// Runs [0, runs) of a seeded random campaign; the merged result is independent of placement. Cancelled, it
    /// returns the runs finished so far rather than throwing.
    /// </summary>
    Task<CampaignOutcome> RandomAsync(ScenarioSpec scenario, ulong seed, long runs, IProgress<ExploreProgress>? progress, CancellationToken cancel);

    /// <summary>
    /// Shrinks a witness into a replayable counterexample, where this engine runs the model. Cancelled, it returns the
    /// smallest run found so far, marked as cut short, rather than throwing.
    /// </summary>
    Task<Counterexample> InvestigateAsync(ScenarioSpec scenario, StrategyKind strategy, ulong seed, Witness witness, CancellationToken cancel);

    /// <summary>
    /// Every execution the ordering rules allow, within the workload's bounds and <paramref name="timeout"/>; cancelled, the
    /// states searched so far. <paramref name="reduce"/> false: without the partial-order reduction (the local engine only).
    /// <paramref name="firstViolation"/>: each execution ends at its first violation (<see cref="SearchLimits.FirstViolation"/>).
    /// <paramref name="workers"/>: threads searching at once (the local engine; a cluster has its partitions).
    /// <paramref name="stopAtFirst"/>: the search stops at the first violation it meets (<see cref="SearchLimits.StopAtFirst"/>; the local engine only).
    /// </summary>
    Task<SearchOutcome> ExhaustiveAsync(ScenarioSpec scenario, TimeSpan? timeout, IProgress<ExploreProgress>? progress, CancellationToken cancel,
        bool reduce = true, bool firstViolation = false, int workers = 1, bool stopAtFirst = false);
}
