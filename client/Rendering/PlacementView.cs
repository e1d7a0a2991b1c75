using SmmuActors.Reports;
using SmmuActors.Client.Commands;
using SmmuActors.Client.Engines;
using Spectre.Console;

namespace SmmuActors.Client.Rendering;

/// <summary>One line under a summary saying where it ran: which engine, which process or cluster, batches or partitions per silo.</summary>
public static class PlacementView
{
    /// <summary>Where an exploration ran, and what this process had cost by its end (<paramref name="process"/>).</summary>
    public static void Write(IAnsiConsole console, Placement p, ProcessFootprint process)
    {
        string spread = Spread("batches", p.BatchesBySilo) + Spread("partitions", p.PartitionsBySilo)
            + (p.Restarts == 0 ? "" : $"; searched again from the start {Plural.Count(p.Restarts, "time")} after losing a silo")
            + (p.Again ? "; a bound cut the search on several workers, so it was searched again on one, whose order is fixed" : "");
        console.MarkupLineInterpolated($"[grey]ran on the {p.Engine} engine in {p.Where}{spread}; this process so far: {process.PeakResidentMiB:N0} MiB resident at most, {process.CpuSeconds:F1} CPU s[/]");
    }

    static string Spread(string what, IReadOnlyDictionary<string, int> bySilo) =>
        bySilo.Count == 0 ? "" : $"; {what} per silo: {PerSilo(bySilo)}";

    /// <summary>Each silo, as <see cref="Grains.Hosting.SiloNames"/> names it, and its count, in the order of their names.</summary>
    public static string PerSilo(IReadOnlyDictionary<string, int> bySilo) =>
        string.Join(", ", bySilo.OrderBy(b => b.Key).Select(b => $"{b.Key} {b.Value}"));
}
