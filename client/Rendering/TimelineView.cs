using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Reports;
using Spectre.Console;

namespace SmmuActors.Client.Rendering;

/// <summary>A run's timeline on the console, and its verdict.</summary>
public static class TimelineView
{
    /// <summary>
    /// One line per step. A long run prints for many seconds (hundreds of thousands of steps): a stop ends the
    /// timeline where it is and says so. Returns false when it was cut, or the run was: a run a stop ended has no
    /// timeline, since the stop asked for an end (<see cref="Details"/> says where it ended).
    /// </summary>
    public static bool Write(IAnsiConsole console, ScenarioModel model, RunResult result, bool showBranches = false, CancellationToken cancel = default)
    {
        if (result.Pruned) return false;
        foreach (var row in Timeline.Rows(model, result, showBranches))
        {
            if (cancel.IsCancellationRequested)
            {
                console.MarkupLineInterpolated($"[yellow]INCOMPLETE: cancelled: the timeline stops at step {row.Step} of {result.Steps}[/]");
                return false;
            }
            console.MarkupLineInterpolated($"[grey]{row.Step,5}[/] t={row.Time,-7} [bold]{row.From,6}[/] -> {row.To,-6} {row.Message,-28} [grey]{row.Sent}[/]");
            foreach (var e in row.Events) console.MarkupLineInterpolated($"{"",14}[cyan]* {e}[/]");
            foreach (var v in row.Violations) console.MarkupLineInterpolated($"{"",14}[red bold]!! {v}[/]");
        }
        return true;
    }

    /// <summary>The first line of `run` and `replay`: the verdict, then what ran.</summary>
    public static void Headline(IAnsiConsole console, RunResult result, string how, string what)
    {
        string verdict = VerdictWords.Of(result, how);
        // A cut run's verdict ends in how far it got, which would run on into what ran.
        console.MarkupLine($"[{VerdictWords.Color(verdict)} bold]{Markup.Escape(verdict)}[/]{(result.Pruned ? ":" : "")} {what}");
    }

    /// <summary>What broke and where, and the run's size and hash, before the timeline that shows how.</summary>
    public static void Details(IAnsiConsole console, RunResult result)
    {
        foreach (var v in result.Violations)
            console.MarkupLineInterpolated($"  [red]{v.KindName}[/] at step {v.Step} (t={v.Time}): {v.Detail}");
        console.MarkupLineInterpolated($"[grey]{Plural.Count(result.Steps, "step")}, virtual time {result.EndTime}, trace hash {result.TraceHash}[/]");
        if (result.Truncated) console.MarkupLine("[yellow]the run hit the workload's maxSteps bound before it finished[/]");
        if (result.Pruned) console.MarkupLine("[yellow]a stop ended the run here: its violations are those found so far, its end was not judged, and its timeline is not printed[/]");
    }
}
