using SmmuActors.Contracts;
namespace SmmuActors.Grains.Campaign;

/// <summary>How a campaign's runs are cut into batches: batch b is runs [b * size, min(runs, (b + 1) * size)).</summary>
public sealed record CampaignPlan(long Runs, long BatchSize)
{
    /// <summary>
    /// About four batches per lane so lanes finish together and a lost batch is cheap to re-run, at most
    /// <see cref="MaxBatch"/> runs.
    /// </summary>
    public static CampaignPlan For(long runs, int lanes, long batchSize) =>
        new(runs, batchSize > 0 ? batchSize : Math.Clamp(runs / (4L * lanes), 1, MaxBatch));

    /// <summary>
    /// A lane steps every run of its batch together, so all of them are alive at once: at 500, reviewer-race's
    /// live runs outgrew gen0 collections' cheap case and the grain engine spent 9-13 % of its time paused, against
    /// 3-4 % at 250; fewer runs pay more grain calls per run (README, "Engines").
    /// </summary>
    public const int MaxBatch = 250;

    public int Batches => checked((int)((Runs + BatchSize - 1) / BatchSize));

    public (long From, long To) Range(int batch) => (batch * BatchSize, Math.Min(Runs, (batch + 1) * BatchSize));
}
