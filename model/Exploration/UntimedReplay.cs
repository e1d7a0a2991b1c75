using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// Replays a witness of the exhaustive search: its picks among the enabled messages, up to the state the
/// search found it in. A safety violation shows on the way; a time-based one is a claim about the state
/// reached (a wait that can never end), so the replay checks it afresh by searching every execution from
/// that state. Nothing is taken on trust from the file.
/// </summary>
public static class UntimedReplay
{
    /// <summary><paramref name="probe"/>: the witness claims a wait that can never end where it stops; check that claim there.</summary>
    public static RunResult Run(ScenarioModel model, IReadOnlyList<long> choices, bool probe, bool recordTrace, bool recordChoices, IRunObserver? observer = null)
    {
        var components = model.CreateComponents(untimed: true);
        var run = model.NewExecution(new ReplayStrategy(choices, model.Workload.Delays, untimed: true), recordTrace, recordChoices, observer);
        var result = RunLoop.Execute(components, run);
        if (!probe || !run.Fabric.Stopped) return result;
        // The witness ends in a state that is not final: decide there whether some wait can never end.
        var search = StateSpaceSearch.Search(model, components, run.Clone(), SearchLimits.For(model), null, CancellationToken.None);
        var found = search.LivenessAtRoot.Where(v => result.Violations.All(x => x.Kind != v.Kind))
            .Select(v => v with { Step = result.Steps, Time = result.EndTime }).ToList();
        return found.Count == 0 ? result : result with { Violations = result.Violations.Concat(found).ToList() };
    }
}
