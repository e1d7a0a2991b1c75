using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Reports;
using Spectre.Console;

namespace SmmuActors.Client.Rendering;

/// <summary>A run's timeline on the console, and its verdict.</summary>
public static class TimelineView
{
    public static void Write(IAnsiConsole console, ScenarioModel model, RunResult result, bool showBranches = false)
    {
        foreach (var row in Timeline.Rows(model, result, showBranches))
        {
            console.MarkupLineInterpolated($"[grey]{row.Step,5}[/] t={row.Time,-7} [bold]{row.From,6}[/] -> {row.To,-6} {row.Message,-28} [grey]{row.Sent}[/]");
            foreach (var e in row.Events) console.MarkupLineInterpolated($"{"",14}[cyan]* {e}[/]");
            foreach (var v in row.Violations) console.MarkupLineInterpolated($"{"",14}[red bold]!! {v}[/]");
        }
    }

    public static void Verdict(IAnsiConsole console, RunResult result)
    {
        if (result.Violations.Count == 0)
            console.MarkupLineInterpolated($"[green bold]verdict: ok[/] — {result.Steps} steps, virtual time {result.EndTime}, trace {result.TraceHash}");
        else
        {
            console.MarkupLineInterpolated($"[red bold]verdict: violation[/] — {result.Steps} steps, trace {result.TraceHash}");
            foreach (var v in result.Violations)
                console.MarkupLineInterpolated($"  [red]{v.KindName}[/] at step {v.Step} (t={v.Time}): {v.Detail}");
        }
        if (result.Truncated) console.MarkupLine("[yellow]the run hit the workload's maxSteps bound before it finished[/]");
    }
}
