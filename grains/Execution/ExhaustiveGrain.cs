using SmmuActors.Contracts;
using Orleans.Concurrency;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Runs an exhaustive search inside the silo. The search re-executes the scenario from its start for
/// every choice sequence and hashes the whole state at each step, so it drives the in-process engine
/// (the same components the component grains host) rather than a grain call per delivery; it runs
/// off the grain scheduler so one long search does not hold a scheduler turn.
/// </summary>
[StatelessWorker]
public sealed class ExhaustiveGrain : Grain, IExhaustiveGrain
{
    public Task<ExhaustiveResult> Explore(ScenarioSpec scenario, TimeSpan? timeout, CancellationToken cancel) =>
        Task.Run(() => Explorer.Exhaustive(scenario.Build(), null, cancel, timeout), cancel);
}
