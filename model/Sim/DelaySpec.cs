namespace SmmuActors.Model.Sim;

/// <summary>
/// How delays are drawn. Random: uniform in [Min, Max], or with LongProbability a long delay up
/// to LongMax (the rare overtaking). Exhaustive: every posted write and SMMU memory read takes
/// each value of Menu, at most MaxDelayed of them above Menu[0] per execution.
/// </summary>
public sealed record DelaySpec(long Min, long Max, double LongProbability, long LongMax, IReadOnlyList<long> Menu, int MaxDelayed)
{
    public static DelaySpec Default { get; } = new(1, 3, 0.02, 300, [1, 300], 1);
}
