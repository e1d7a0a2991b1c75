using SmmuActors.Contracts;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// One build of a scenario for the lane and every component grain of this silo, off the grain's turn. Each used to
/// build its own at its first call: for a program of 400,000 operations six builds at once on two cores, which held a
/// stopped run's silo for over a second after the stop. A model is shared read-only, as the local engine's workers
/// share theirs; the last scenario built is kept, so a silo running another scenario builds again.
/// </summary>
public static class ScenarioBuilds
{
    static readonly Lock Gate = new();
    static (ScenarioSpec Spec, Task<ScenarioModel> Model)? _last;

    public static Task<ScenarioModel> For(ScenarioSpec spec)
    {
        lock (Gate)
        {
            if (_last is { } last && last.Spec.SameAs(spec)) return last.Model;
            var model = Task.Run(spec.Build);
            _last = (spec, model);
            return model;
        }
    }
}
