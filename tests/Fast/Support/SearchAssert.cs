using SmmuActors.Model.Exploration;

namespace SmmuActors.Tests.Support;

/// <summary>What every exhaustive search of a scenario must agree on with the local search, however it was split or placed.</summary>
public static class SearchAssert
{
    /// <summary>
    /// The same end (exhausted, or the same reason), distinct states, depth, states the cycle proviso expanded again, final
    /// states and their outcomes, transitions, branches reached, how many transitions (and endless waits) showed each
    /// kind, and each kind's witness, choice for choice: which transitions show a kind is a function of the state and
    /// the delivery, and of equally short witnesses the one first in the order of its choices is kept, so none of it
    /// depends on the order the search reached its states in.
    /// </summary>
    public static void Same(ExhaustiveResult local, ExhaustiveResult other)
    {
        Assert.Equal(local.IncompleteReason, other.IncompleteReason);
        Assert.Equal(local.States, other.States);
        Assert.Equal(local.CycleBreakers, other.CycleBreakers);
        Assert.Equal(local.Depth, other.Depth);
        Assert.Equal(local.Result.Runs, other.Result.Runs);
        Assert.Equal(local.Result.ViolationsByKind.OrderBy(kv => kv.Key), other.Result.ViolationsByKind.OrderBy(kv => kv.Key));
        Assert.Equal(local.Result.Coverage, other.Result.Coverage);
        Assert.Equal(local.Result.Witnesses.Values.Select(w => (w.Kind, w.RunIndex, string.Join(",", w.Choices))).Order(),
            other.Result.Witnesses.Values.Select(w => (w.Kind, w.RunIndex, string.Join(",", w.Choices))).Order());
        Assert.Equal(local.Result.Steps, other.Result.Steps);
        Assert.Equal(local.Result.Outcomes.OrderBy(kv => kv.Key), other.Result.Outcomes.OrderBy(kv => kv.Key));
        Assert.True(local.Result.SameAs(other.Result), "the same transitions, final outcomes and witnesses");
    }
}
