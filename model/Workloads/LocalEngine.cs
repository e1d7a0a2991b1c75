using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Workloads;

/// <summary>All components of a scenario in this process: the speed ceiling and the base of exhaustive search.</summary>
public static class LocalEngine
{
    public static RunResult Run(ScenarioModel model, IStrategy strategy, bool recordTrace = false, bool recordChoices = false, IPruner? pruner = null, IRunObserver? observer = null) =>
        RunLoop.Execute(model.CreateComponents(strategy.Untimed), model.NewExecution(strategy, recordTrace, recordChoices, observer), pruner);
}
