using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;
using Spectre.Console;

namespace SmmuActors.Client.Rendering;

/// <summary>A run's deliveries, one line each, with what the receiver reported; violations called out where detected.</summary>
public static class Timeline
{
    public static void Write(IAnsiConsole console, ScenarioModel model, RunResult result, bool showBranches = false)
    {
        var names = model.Names;
        var violationsAt = result.Violations.ToLookup(v => v.Step);
        foreach (var entry in result.Trace!.Entries)
        {
            var m = entry.Message;
            string delay = m.Kind == MessageKind.Start ? "" : $"sent t={m.SendTime} +{m.Delay}";
            console.MarkupLineInterpolated($"[grey]{entry.Step,5}[/] t={m.Time,-7} [bold]{names.Actor(m.Src),6}[/] -> {names.Actor(m.Dst),-6} {MessageNames.Describe(model.Layout, names, m),-28} [grey]{delay}[/]");
            foreach (var e in entry.Events)
            {
                if (e.Kind() == EventKind.Branch && !showBranches) continue;
                console.MarkupLineInterpolated($"{"",14}[cyan]* {EventText.Describe(model, e)}[/]");
            }
            foreach (var v in violationsAt[entry.Step])
                console.MarkupLineInterpolated($"{"",14}[red bold]!! {v.KindName}: {v.Detail}[/]");
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
