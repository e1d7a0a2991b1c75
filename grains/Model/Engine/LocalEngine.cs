using SmmuActors.Model.Scenario;

namespace SmmuActors.Model.Engine;

/// <summary>Decides whether a run can stop because its state was explored already (exhaustive search).</summary>
public interface IPruner
{
    bool Prune(IComponent[] components, ScenarioRun run);
}

/// <summary>All components of a scenario in this process: the speed ceiling and the base of exhaustive search.</summary>
public static class LocalEngine
{
    public static RunResult Run(ScenarioModel model, IStrategy strategy, bool recordTrace = false, bool recordChoices = false, IPruner? pruner = null, IRunObserver? observer = null)
    {
        var components = model.CreateComponents();
        var run = new ScenarioRun(model, strategy, recordTrace, recordChoices, observer);
        var outbox = new Outbox();
        while (true)
        {
            if (pruner is not null && pruner.Prune(components, run)) { run.Prune(); break; }
            if (!run.TryNext(out var m)) break;
            outbox.Begin(m.Dst);
            components[m.Dst].Handle(m, outbox);
            run.Delivered(m, outbox.Messages, outbox.Events);
        }
        return run.Finish();
    }

    /// <summary>The state of a run between deliveries, for pruning: components, messages in flight, strategy budget, oracle.</summary>
    public static (ulong, ulong) StateHash(IComponent[] components, ScenarioRun run)
    {
        var h = new StateHasher(0xC0FFEE);
        foreach (var c in components) c.Hash(ref h);
        run.Fabric.HashInFlight(ref h);
        run.Fabric.Strategy.Hash(ref h);
        run.Oracle.Hash(ref h);
        return h.Value;
    }
}
