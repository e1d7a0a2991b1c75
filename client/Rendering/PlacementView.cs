using SmmuActors.Client.Engines;
using Spectre.Console;

namespace SmmuActors.Client.Rendering;

/// <summary>One line under a summary saying where it ran: which engine, which process or cluster, batches or partitions per silo.</summary>
public static class PlacementView
{
    public static void Write(IAnsiConsole console, Placement p)
    {
        string spread = Spread("batches", p.BatchesBySilo) + Spread("partitions", p.PartitionsBySilo);
        console.MarkupLineInterpolated($"[grey]ran on the {p.Engine} engine in {p.Where}{spread}[/]");
    }

    static string Spread(string what, IReadOnlyDictionary<string, int> bySilo) =>
        bySilo.Count == 0 ? "" : $"; {what} per silo: {string.Join(", ", bySilo.OrderBy(b => b.Key).Select(b => $"{b.Key} {b.Value}"))}";
}
