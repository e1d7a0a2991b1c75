using Orleans.Concurrency;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Contracts;

/// <summary>The investigation pipeline (shrink a witness into a counterexample) run in a silo, where the model runs; one key per investigation.</summary>
[Alias("smmu.investigation")]
public interface IInvestigationGrain : IGrainWithGuidKey
{
    /// <summary>Shrinking replays the scenario a few hundred times: allow it more than the default 30 s.</summary>
    [Alias("investigate"), ResponseTimeout("00:10:00")]
    Task<Counterexample> Investigate(ScenarioSpec scenario, StrategyKind strategy, ulong seed, Witness witness, CancellationToken cancel = default);

    /// <summary>
    /// Stops the running shrink within one replay; it then returns the smallest run found so far, marked as cut
    /// short. Cancelling the call instead would leave its caller with nothing.
    /// </summary>
    [Alias("stop"), AlwaysInterleave]
    Task Stop();
}
