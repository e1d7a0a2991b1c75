using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Runs an exhaustive search inside the silo. The search re-executes the scenario from its start for
/// every choice sequence and hashes the whole state at each step, so it drives the in-process engine
/// (the same components the component grains host) rather than a grain call per delivery; it runs
/// off the grain scheduler so one long search does not hold a scheduler turn. One activation per search (a fresh
/// key each), not a stateless worker, so <see cref="Stop"/> and the caller's cancellation reach the activation running it.
/// </summary>
public sealed class ExhaustiveGrain : Grain, IExhaustiveGrain
{
    readonly CancellationTokenSource _stop = new();

    public Task<ExhaustiveResult> Explore(ScenarioSpec scenario, TimeSpan? timeout, CancellationToken cancel) =>
        Task.Run(() =>
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel, _stop.Token);
            return Explorer.Exhaustive(scenario.Build(), null, either.Token, timeout);
        }, cancel);

    public Task Stop()
    {
        _stop.Cancel();
        return Task.CompletedTask;
    }
}
