namespace SmmuActors.Model.Exploration;

/// <summary>
/// What an exhaustive search found: the merged runs (with the first witness of each violation kind),
/// the distinct states seen, what stopped the search before the whole space was searched (null: nothing did), and how
/// many reduced states the cycle proviso expanded again.
/// </summary>
public sealed record ExhaustiveResult(BatchResult Result, long States, string? IncompleteReason, int CycleBreakers = 0)
{
    /// <summary>The whole space of the workload was searched: a clean result is a proof for this workload.</summary>
    public bool Exhausted => IncompleteReason is null;
}
