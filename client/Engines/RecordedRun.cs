using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Client.Engines;

public static class RecordedRun
{
    /// <summary>
    /// The replay of <paramref name="cx"/> under the seed of the campaign that found it: the choices drive the run, and
    /// the seed only names it in the scenario's span, as the command's span does (a replay's own seed is 0).
    /// </summary>
    public static StrategySpec Recorded(this Counterexample cx) => cx.Replaying with { Seed = cx.Seed };
}
