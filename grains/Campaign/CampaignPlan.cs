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

    /// <summary>
    /// Lanes for a cluster whose silos run on <paramref name="siloHosts"/> (one host name per silo), each host with
    /// <paramref name="cores"/> cores: a lane per core of every host, since silos on one host share its cores (two silo
    /// processes on a 2-core machine with a lane per core each ran at 0.25-0.31 of the local engine, with one each at
    /// 0.34-0.44), and at least a lane per silo, so no silo is left idle.
    /// </summary>
    public static int Lanes(IEnumerable<string> siloHosts, int cores) =>
        Math.Max(1, siloHosts.GroupBy(h => h).Sum(g => Math.Max(cores, g.Count())));

    public int Batches => checked((int)((Runs + BatchSize - 1) / BatchSize));

    public (long From, long To) Range(int batch) => (batch * BatchSize, Math.Min(Runs, (batch + 1) * BatchSize));
}
