using SmmuActors.Contracts;
namespace SmmuActors.Grains.Campaign;

/// <summary>How a campaign's runs are cut into batches: batch b is runs [b * size, min(runs, (b + 1) * size)).</summary>
public sealed record CampaignPlan(long Runs, long BatchSize)
{
    /// <summary>
    /// About four batches per lane so lanes finish together and a lost batch is cheap to re-run,
    /// at most 500 runs so a batch call stays well inside the response timeout on a busy machine.
    /// </summary>
    public static CampaignPlan For(long runs, int lanes, long batchSize) =>
        new(runs, batchSize > 0 ? batchSize : Math.Clamp(runs / (4L * lanes), 1, 500));

    public int Batches => checked((int)((Runs + BatchSize - 1) / BatchSize));

    public (long From, long To) Range(int batch) => (batch * BatchSize, Math.Min(Runs, (batch + 1) * BatchSize));
}
