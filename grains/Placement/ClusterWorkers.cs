namespace SmmuActors.Grains.Placement;

/// <summary>
/// How many workers a cluster's work is split into (a campaign's lanes, a search's partitions): one per core of each
/// machine, since silos on one machine share its cores, and at least one per silo, so none is left idle. Two silo
/// processes on a 2-core machine with a worker per core of every silo ran four lockstep lanes on two cores (campaigns
/// 40,134 / 41,747 runs/s against 44,899 / 54,030 with two), and four search partitions where two replay a third as
/// much (full-queue under stop-after-full-wait: 52,135 / 67,422 states per CPU second against 71,685 / 98,278).
/// Workers are then placed over silos, not machines (worker i on silo i mod n, <see cref="LanePlacement"/>): exact for a
/// cluster on one machine and for one silo per machine; a machine with more silos than another gets more workers.
/// </summary>
public static class ClusterWorkers
{
    /// <param name="siloHosts">The host name of every silo (silos on one machine share one).</param>
    /// <param name="cores">The cores of each machine (taken to be this one's).</param>
    public static int For(IEnumerable<string> siloHosts, int cores) =>
        Math.Max(1, siloHosts.GroupBy(h => h).Sum(g => Math.Max(cores, g.Count())));

    /// <summary>The workers for the silos active now, as the membership lists them.</summary>
    public static async Task<int> ForActiveSilosAsync(IGrainFactory grains)
    {
        var silos = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        return For(silos.Select(s => s.HostName), Environment.ProcessorCount);
    }
}
