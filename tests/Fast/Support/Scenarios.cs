using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Support;

/// <summary>Builds scenarios from inline workload JSON and runs them, for tests.</summary>
public static class Scenarios
{
    public static ScenarioModel Inline(string json, string variant = "as-posted", params string[] set) =>
        new(WorkloadLoader.Parse(json, "inline.json"), Variants.Build(variant, set));

    /// <summary>Whether <paramref name="variant"/> with <paramref name="set"/> is a configuration the model takes (Variants.Build refuses those no driver makes).</summary>
    public static bool Builds(string variant, params string[] set)
    {
        try
        {
            Variants.Build(variant, set);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static ScenarioModel Shipped(string file, string variant = "as-posted", params string[] set) =>
        new(WorkloadLoader.LoadFile(TestPaths.Scenario(file)), Variants.Build(variant, set));

    public static RunResult Random(ScenarioModel m, ulong seed, bool trace = false) =>
        LocalEngine.Run(m, new RandomStrategy(seed, m.Workload.Delays), recordTrace: trace, recordChoices: trace);

    public static (BatchResult Result, long States, bool Exhausted) Exhaustive(ScenarioModel m)
    {
        var search = Explorer.Exhaustive(m, null, CancellationToken.None);
        return (search.Result, search.States, search.Exhausted);
    }

    /// <summary>
    /// An untimed walk from the search's initial state, each component changed in place: at each step
    /// <paramref name="pick"/> (step, enabled count) chooses among the enabled deliveries, and <paramref name="after"/> sees
    /// the execution after each; at most <paramref name="steps"/> steps, or until nothing is enabled.
    /// </summary>
    public static (IComponent[] Components, Execution Run) Walk(ScenarioModel model, Func<int, int, int> pick, int steps = int.MaxValue,
        Action<Execution>? after = null) =>
        Walk(model, pick, (_, r) => after?.Invoke(r), steps);

    /// <summary>The same walk, <paramref name="after"/> seeing the components too.</summary>
    public static (IComponent[] Components, Execution Run) Walk(ScenarioModel model, Func<int, int, int> pick, Action<IComponent[], Execution> after,
        int steps = int.MaxValue)
    {
        var c = model.CreateComponents(untimed: true);
        var r = model.NewSearchExecution();
        var enabled = new List<int>();
        var outbox = new Outbox();
        for (int s = 0; s < steps && r.Fabric.Enabled(enabled) > 0; s++)
        {
            var m = r.Fabric.Take(enabled[pick(s, enabled.Count)]);
            RunLoop.Deliver(c, r, m, outbox);
            after(c, r);
        }
        return (c, r);
    }

    /// <summary>Every event of a traced run, with the step it happened at.</summary>
    public static IEnumerable<ModelEvent> Events(RunResult r) => r.Trace!.Entries.SelectMany(e => e.Events);
}
