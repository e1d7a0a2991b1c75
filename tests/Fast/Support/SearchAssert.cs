using SmmuActors.Model.Exploration;

namespace SmmuActors.Tests.Support;

/// <summary>What every exhaustive search of a scenario must agree on with the local search, however it was split or placed.</summary>
public static class SearchAssert
{
    /// <summary>
    /// The same end (exhausted, or the same reason), distinct states, states the cycle proviso expanded again, final
    /// states, kinds of violation, branches reached, and each kind's witness as short. Not the per-kind counts: a state merged into a known one keeps the
    /// oracle's history of the path that reached it first, so how many transitions first showed a kind depends on
    /// the search order; nor which of the equally short witnesses was kept.
    /// </summary>
    public static void Same(ExhaustiveResult local, ExhaustiveResult other)
    {
        Assert.Equal(local.IncompleteReason, other.IncompleteReason);
        Assert.Equal(local.States, other.States);
        Assert.Equal(local.CycleBreakers, other.CycleBreakers);
        Assert.Equal(local.Result.Runs, other.Result.Runs);
        Assert.Equal(local.Result.ViolationsByKind.Keys.Order(), other.Result.ViolationsByKind.Keys.Order());
        Assert.Equal(local.Result.Coverage, other.Result.Coverage);
        Assert.Equal(local.Result.Witnesses.Values.Select(w => (w.Kind, w.RunIndex)).Order(), other.Result.Witnesses.Values.Select(w => (w.Kind, w.RunIndex)).Order());
    }
}
