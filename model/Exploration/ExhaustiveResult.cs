namespace SmmuActors.Model.Exploration;

/// <summary>
/// What an exhaustive search found: the merged runs (with the first witness of each violation kind),
/// the distinct states seen, what stopped the search before the whole space was searched (null: nothing did), and how
/// many reduced states the cycle proviso expanded again. <paramref name="FirstViolation"/>: each execution ended at its
/// first violation (<see cref="SearchLimits.FirstViolation"/>), so the kinds are those some execution shows first.
/// <paramref name="Depth"/>: the longest of the shortest paths from the initial state to a state the search reached, in
/// deliveries (TLC's depth of the state graph; what a maxSteps bound is compared with); null when a stop (Ctrl+C, the
/// timeout) left no time to measure it. The transitions explored are <c>Result.Steps</c>. <paramref name="Again"/>: a bound
/// cut the search on several workers or partitions, where what it let in depended on timing, so this is the search run
/// again on one worker, whose order is fixed (<see cref="StateSpaceSearch.Explore"/>).
/// </summary>
public sealed record ExhaustiveResult(BatchResult Result, long States, string? IncompleteReason, int CycleBreakers = 0, bool FirstViolation = false,
    int? Depth = 0, bool Again = false)
{
    /// <summary>
    /// The whole space of the workload was searched (with <see cref="FirstViolation"/>, every execution up to its first
    /// violation): a clean result is a proof for this workload either way, as a clean search ended no execution early.
    /// </summary>
    public bool Exhausted => IncompleteReason is null;
}
