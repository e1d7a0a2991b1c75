namespace SmmuActors.Model.Sim;

/// <summary>
/// How random runs draw delays: uniform in [Min, Max], or with LongProbability a long delay up to LongMax (the rare
/// overtaking). The exhaustive search is untimed and takes every order. Menu and MaxDelayed shaped the timed search it
/// replaced: workloads written for it still load, and the two shape nothing.
/// </summary>
public sealed record DelaySpec(long Min, long Max, double LongProbability, long LongMax, IReadOnlyList<long> Menu, int MaxDelayed)
{
    /// <summary>The classes a long delay may overtake: requests, posted writes and the SMMU's memory reads.</summary>
    public static bool MayBeLong(DelayClass cls) => cls is DelayClass.Request or DelayClass.Posted or DelayClass.DeviceRead;

    /// <summary>
    /// The delays a random run may give a message of <paramref name="cls"/>: [Min, Max], and up to LongMax where a long
    /// delay may be drawn; a shrink keeps each delay within them (<c>ShrinkStrategy</c>).
    /// </summary>
    public (long Lo, long Hi) Bounds(DelayClass cls) => MayBeLong(cls) && LongProbability > 0 ? (Min, LongMax) : (Min, Max);

    public bool Allows(DelayClass cls, long delay)
    {
        var (lo, hi) = Bounds(cls);
        return delay >= lo && delay <= hi;
    }

    /// <summary>
    /// The delays a replay takes for any message: those a random run may give some message. Looser than
    /// <see cref="Bounds"/> for a reply or an execution, which a shrink before 2026-12-08 could give a long delay drawn for
    /// another message (a reply 62 ticks late is a stall, which any run may have); a delay of 0 or less, or past the
    /// longest the workload draws, is still refused.
    /// </summary>
    public (long Lo, long Hi) Replayable => (Min, LongProbability > 0 ? LongMax : Max);

    public static DelaySpec Default { get; } = new(1, 3, 0.02, 300, [1, 300], 1);
}
