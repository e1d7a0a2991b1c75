using Orleans.Concurrency;
using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>Shrinks a witness in the silo; runs off the grain scheduler so a long shrink holds no scheduler turn.</summary>
[StatelessWorker]
public sealed class InvestigationGrain : Grain, IInvestigationGrain
{
    public Task<Counterexample> Investigate(ScenarioSpec scenario, StrategyKind strategy, ulong seed, Witness witness, CancellationToken cancel) =>
        Task.Run(() => Investigation.Investigate(scenario.Build(), scenario.WorkloadPath, strategy, seed, witness), cancel);
}
