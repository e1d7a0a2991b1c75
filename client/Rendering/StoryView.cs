using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Reports;
using Spectre.Console;

namespace SmmuActors.Client.Rendering;

/// <summary>A counterexample's causal slice as a numbered story, printed before the full timeline.</summary>
public static class StoryView
{
    /// <summary>
    /// The story of the first violation of <paramref name="kind"/>, the counterexample's kind, or of the run's first if it
    /// shows none. False, having printed nothing, when a stop came first: a run of millions of deliveries takes seconds to slice.
    /// </summary>
    public static bool Write(IAnsiConsole console, ScenarioModel model, RunResult run, string kind, CancellationToken cancel = default)
    {
        (IReadOnlyList<StoryLine> Lines, int Sliced) told;
        try { told = CausalSlice.Tell(model, run, kind, cancel); }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { return false; }
        var story = told.Lines;
        // Headed by what the story tells: an edited file's kind may not occur, and the slice then ends at the run's first violation.
        string explained = CausalSlice.Explained(run, kind)?.KindName ?? kind;
        console.MarkupLineInterpolated($"[bold]how it happens: {explained}[/] [grey]({Plural.Count(story.Count, "line")}; the causal slice holds {told.Sliced} of the {Plural.Count(run.Steps, "delivery", "deliveries")})[/]");
        for (int i = 0; i < story.Count; i++)
            console.MarkupLineInterpolated($"{i + 1,4}. [grey]t={story[i].Time,-6}[/] {story[i].Text}");
        return true;
    }

    /// <summary>The stories of the findings that were replayed, until a stop; `replay` tells the rest.</summary>
    public static void WriteAll(IAnsiConsole console, IEnumerable<Finding> findings, CancellationToken cancel)
    {
        foreach (var f in findings.Where(f => f.Replay is not null))
            if (!Write(console, f.Model, f.Replay!, f.Counterexample.Kind, cancel))
            {
                console.MarkupLine($"[grey]{StoppedNote}: `replay FILE` tells each[/]");
                return;
            }
    }

    /// <summary>What is printed in place of the stories a stop cut.</summary>
    public const string StoppedNote = "how it happens: not told, the stop came first";
}
