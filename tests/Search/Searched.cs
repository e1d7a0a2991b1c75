using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>A reviewer-race search under a preset and switches, asserted to close, and its kinds as the console lists them.</summary>
static class Searched
{
    public static ExhaustiveResult ReviewerRace(string preset, params string[] settings)
    {
        var model = Scenarios.Shipped("reviewer-race.json", preset, settings);
        var search = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None);
        Assert.True(search.Exhausted, search.IncompleteReason);
        return search;
    }

    public static string Kinds(ExhaustiveResult r) => string.Join(",", r.Result.ViolationsByKind.Keys.Select(k => Naming.Kebab(k)).Order());
}
