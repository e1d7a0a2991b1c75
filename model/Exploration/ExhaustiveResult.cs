namespace SmmuActors.Model.Exploration;

/// <summary>
/// What an exhaustive search found: the merged runs (with the first witness of each violation kind),
/// the distinct states seen, and what stopped the search before the whole space was searched (null: nothing did).
/// </summary>
public sealed record ExhaustiveResult(BatchResult Result, long States, string? IncompleteReason)
{
    /// <summary>The whole space of the workload was searched: a clean result is a proof for this workload.</summary>
    public bool Exhausted => IncompleteReason is null;
}
