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
    /// Starts the shrink and returns at once, for a caller outside the cluster, which follows it with <see cref="Poll"/>:
    /// one long call to a silo that dies behind its gateway is not failed but waits out its response timeout
    /// (dotnet/orleans#10165), while a short poll fails within seconds. Calls from inside the cluster use Investigate.
    /// </summary>
    [Alias("start")]
    Task Start(ScenarioSpec scenario, StrategyKind strategy, ulong seed, Witness witness);

    /// <summary>
    /// The counterexample once the shrink started by <see cref="Start"/> has ended, waiting up to <paramref name="wait"/>
    /// for it; null while it runs. An activation that started none (the one that did went with its silo) throws
    /// <see cref="InvestigationLostException"/>.
    /// </summary>
    [Alias("poll"), AlwaysInterleave, ResponseTimeout("00:00:05")]
    Task<Counterexample?> Poll(TimeSpan wait);

    /// <summary>
    /// Stops the running shrink within one replay; it then returns the smallest run found so far, marked as cut
    /// short. Cancelling the call instead would leave its caller with nothing.
    /// </summary>
    [Alias("stop"), AlwaysInterleave]
    Task Stop();
}

/// <summary>An investigation was polled where none was started: the activation that ran it went with its silo.</summary>
[GenerateSerializer, Alias("smmu.investigation-lost")]
public sealed class InvestigationLostException(string message) : OrleansException(message);
