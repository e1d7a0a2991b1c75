using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Shrinks a witness in the silo; runs off the grain scheduler so a long shrink holds no scheduler turn. One
/// activation per investigation (a fresh key each), not a stateless worker, so <see cref="Stop"/> reaches the
/// activation that is shrinking. Idle, it is collected after a short while, like the lanes.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class InvestigationGrain : Grain, IInvestigationGrain
{
    readonly CancellationTokenSource _stop = new();
    Task<Counterexample>? _work;

    /// <summary>The shrink of <see cref="Start"/>, awaited in one call; cancelling the call stops it, as <see cref="Stop"/> does.</summary>
    public async Task<Counterexample> Investigate(ScenarioSpec scenario, StrategyKind strategy, ulong seed, Witness witness, CancellationToken cancel)
    {
        await Start(scenario, strategy, seed, witness);
        using (cancel.Register(_stop.Cancel))
            return await _work!;
    }

    public Task Start(ScenarioSpec scenario, StrategyKind strategy, ulong seed, Witness witness)
    {
        _work ??= Task.Run(() => Investigation.Investigate(scenario.Build(), scenario.WorkloadPath, strategy, seed, witness, _stop.Token));
        return Task.CompletedTask;
    }

    public async Task<Counterexample?> Poll(TimeSpan wait)
    {
        var work = _work ?? throw new InvestigationLostException($"investigation {this.GetPrimaryKey():N} was never started here: its silo was lost");
        try { return await work.WaitAsync(wait); }
        catch (TimeoutException) { return null; }
    }

    public Task Stop()
    {
        _stop.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Deactivated (its silo shutting down gracefully, or Orleans collecting it), the shrink stops: no poll reaches this
    /// activation again, and a caller told the investigation was lost starts it afresh (<see cref="InvestigationLostException"/>).
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Stop();
}
