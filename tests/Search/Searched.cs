using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>Searches asserted to close: reviewer-race under a preset and switches, a search with its graph, and what tests read off them (kinds, a witness replayed).</summary>
static class Searched
{
    public static ExhaustiveResult ReviewerRace(string preset, params string[] settings)
    {
        var model = Scenarios.Shipped("reviewer-race.json", preset, settings);
        var search = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None);
        Assert.True(search.Exhausted, search.IncompleteReason);
        return search;
    }

    /// <summary>The search of <paramref name="model"/> on one worker with its graph, for the liveness verdicts read off it; asserted to close.</summary>
    public static StateSpaceSearch.Outcome WithGraph(ScenarioModel model)
    {
        var outcome = StateSpaceSearch.Search(model, model.CreateComponents(untimed: true), model.NewSearchExecution(), SearchLimits.For(model), null,
            CancellationToken.None);
        Assert.True(outcome.Result.Exhausted, outcome.Result.IncompleteReason);
        return outcome;
    }

    /// <summary>The search's witness of <paramref name="kind"/> replays to a state that shows it when checked afresh there (the probe).</summary>
    public static void WitnessReplays(ScenarioModel model, ExhaustiveResult r, ViolationKind kind)
    {
        var replay = UntimedReplay.Run(model, r.Result.Witnesses[kind].Choices, probe: true, recordTrace: false, recordChoices: false);
        Assert.Contains(replay.Violations, v => v.Kind == kind);
    }

    public static string Kinds(ExhaustiveResult r) => string.Join(",", r.Result.ViolationsByKind.Keys.Select(k => Naming.Kebab(k)).Order());
}
