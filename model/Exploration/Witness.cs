using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// The first run (by index) that showed a kind of violation, with the choice list that replays it. <see cref="Run"/>: what
/// that run showed, for a random campaign's witness; a search's witness is a path, replayed to be captured.
/// </summary>
public sealed record Witness(ViolationKind Kind, long RunIndex, long[] Choices, WitnessRun? Run = null)
{
    /// <summary>
    /// True when a witness of run <paramref name="runIndex"/> with <paramref name="choices"/> goes before
    /// <paramref name="known"/> (null: none yet): an earlier run, or, in a search where the index is a path's length, as
    /// long and first in the order of its choices. Equally short witnesses are met in whatever order the search (local,
    /// partitioned, of any size) reached them, and the order of their choices is the same in every one.
    /// </summary>
    public static bool Precedes(long runIndex, ReadOnlySpan<long> choices, Witness? known) =>
        known is null || runIndex < known.RunIndex || runIndex == known.RunIndex && choices.SequenceCompareTo(known.Choices) < 0;
}
