namespace SmmuActors.Model.Exploration;

/// <summary>
/// What an exhaustive search found: the merged runs (with the first witness of each violation kind),
/// the distinct states seen, and whether the whole bounded space was covered.
/// </summary>
public sealed record ExhaustiveResult(BatchResult Result, long States, bool Exhausted);
