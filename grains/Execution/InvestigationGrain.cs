using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Shrinks a witness in the silo; runs off the grain scheduler so a long shrink holds no scheduler turn. One
/// activation per investigation (a fresh key each), not a stateless worker, so <see cref="Stop"/> reaches the
/// activation that is shrinking.
/// </summary>
public sealed class InvestigationGrain : Grain, IInvestigationGrain
{
    readonly CancellationTokenSource _stop = new();

    public async Task<Counterexample> Investigate(ScenarioSpec scenario, StrategyKind strategy, ulong seed, Witness witness, CancellationToken cancel)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel, _stop.Token);
        try
        {
            return await Task.Run(() => Investigation.Investigate(scenario.Build(), scenario.WorkloadPath, strategy, seed, witness, either.Token));
        }
        finally
        {
            DeactivateOnIdle();
        }
    }

    public Task Stop()
    {
        _stop.Cancel();
        return Task.CompletedTask;
    }
}
