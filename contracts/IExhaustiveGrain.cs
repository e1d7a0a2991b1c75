using Orleans.Concurrency;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Contracts;

/// <summary>Exhaustive search of one scenario, hosted in a silo.</summary>
[Alias("smmu.exhaustive")]
public interface IExhaustiveGrain : IGrainWithGuidKey
{
    /// <summary>A search of a large bound can take minutes: longer than Orleans' default 30 s response timeout.</summary>
    [Alias("explore"), ResponseTimeout("01:00:00")]
    Task<ExhaustiveResult> Explore(ScenarioSpec scenario, TimeSpan? timeout = null, CancellationToken cancel = default);

    /// <summary>
    /// Ends the running search, which then returns the states searched so far as INCOMPLETE (cancelled): unlike
    /// cancelling the call, which leaves its caller with nothing.
    /// </summary>
    [Alias("stop"), AlwaysInterleave]
    Task Stop();
}
