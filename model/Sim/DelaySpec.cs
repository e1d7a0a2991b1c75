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
    /// delay may be drawn. A replayed choice outside them is a run the workload does not have (one of 0 or less would
    /// deliver a message no later than it was sent).
    /// </summary>
    public (long Lo, long Hi) Bounds(DelayClass cls) => MayBeLong(cls) && LongProbability > 0 ? (Min, LongMax) : (Min, Max);

    public bool Allows(DelayClass cls, long delay)
    {
        var (lo, hi) = Bounds(cls);
        return delay >= lo && delay <= hi;
    }

    public static DelaySpec Default { get; } = new(1, 3, 0.02, 300, [1, 300], 1);
}
