using SmmuActors.Client.Engines;
using Spectre.Console;

namespace SmmuActors.Client.Rendering;

/// <summary>One line under a summary saying where it ran: which engine, which process or cluster, batches per silo.</summary>
public static class PlacementView
{
    public static void Write(IAnsiConsole console, Placement p)
    {
        string spread = p.Silos == 0 ? "" : $"; batches per silo: {string.Join(", ", p.BatchesBySilo.OrderBy(b => b.Key).Select(b => $"{b.Key} {b.Value}"))}";
        console.MarkupLineInterpolated($"[grey]ran on the {p.Engine} engine in {p.Where}{spread}[/]");
    }
}
