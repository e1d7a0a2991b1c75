using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Reports;
using Spectre.Console;

namespace SmmuActors.Client.Rendering;

/// <summary>A counterexample's causal slice as a numbered story, printed before the full timeline.</summary>
public static class StoryView
{
    /// <summary>The story of the first violation of <paramref name="kind"/>, the counterexample's kind, or of the run's first if it shows none.</summary>
    public static void Write(IAnsiConsole console, ScenarioModel model, RunResult run, string kind)
    {
        var story = CausalSlice.Story(model, run, kind);
        int slice = CausalSlice.Rows(run, kind).Count(x => x);
        // Headed by what the story tells: an edited file's kind may not occur, and the slice then ends at the run's first violation.
        string told = CausalSlice.Explained(run, kind)?.KindName ?? kind;
        console.MarkupLineInterpolated($"[bold]how it happens: {told}[/] [grey]({Plural.Count(story.Count, "line")}; the causal slice holds {slice} of the {Plural.Count(run.Steps, "delivery", "deliveries")})[/]");
        for (int i = 0; i < story.Count; i++)
            console.MarkupLineInterpolated($"{i + 1,4}. [grey]t={story[i].Time,-6}[/] {story[i].Text}");
    }
}
