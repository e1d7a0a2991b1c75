using SmmuActors.Reports;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;
using Spectre.Console;

namespace SmmuActors.Client.Rendering;

/// <summary>An exploration's answer in one screen: coverage of the space, violations by kind, how to replay each.</summary>
public static class SummaryView
{
    public static void Write(IAnsiConsole console, ExploreSummary s)
    {
        var switches = VariantLabel.Suffix(s.Switches);
        string verdict = VerdictWords.Of(s);
        console.MarkupLineInterpolated($"[{VerdictWords.Color(verdict)} bold]{verdict}[/] [bold]{s.Workload}[/] under [bold]{s.Variant}[/]{switches}, {s.Strategy} strategy{(s.Unreduced ? " without reduction" : "")}{(s.FirstViolation ? " to each execution's first violation" : "")}, {s.Engine} engine");
        string space = s.Strategy == "exhaustive"
            ? $"{Plural.Count(s.StatesExplored, "distinct state")}, {s.Transitions:N0} {Plural.Noun(s.Transitions ?? 0, "transition")}, {(s.Depth is { } depth ? $"depth {depth}, " : "")}{s.Runs:N0} final, space {(s.Exhausted ? $"EXHAUSTED (every delivery order the ordering rules allow{(s.FirstViolation ? ", each execution up to its first violation: kinds seen only after another are not listed" : "")})" : $"INCOMPLETE ({(s.IncompleteReason == VerdictWords.Cancelled ? "cancelled" : $"stopped by {s.IncompleteReason}")})")}"
            : $"{Plural.Count(s.Runs, "run")} (seed {s.Seed}), {Plural.Count(s.StatesExplored, "state")} visited";
        console.MarkupLineInterpolated($"{space}, {s.Seconds:F1} s");
        if (s.Strategy == "exhaustive" && SearchLimits.IsWorkloadBound(s.IncompleteReason)) console.MarkupLine($"[grey]{BoundHint}[/]");
        else if (s.Strategy == "exhaustive" && SearchLimits.IsTimeout(s.IncompleteReason)) console.MarkupLine($"[grey]{TimeoutHint}[/]");
        if (s.Truncated > 0) console.MarkupLineInterpolated($"[yellow]{Plural.Count(s.Truncated, "run")} hit maxSteps and {(s.Truncated == 1 ? "was" : "were")} not judged for liveness[/]");
        if (s.ViolationsByKind.Count > 0)
        {
            // A search counts where each kind shows, not executions (it merges them): the transitions whose delivery shows a
            // safety kind, the final states that end badly, the states whose wait can never end.
            var t = new Table().AddColumns("violation", s.Strategy == "exhaustive" ? "transitions / states" : "executions", "first counterexample", "trace hash");
            // Every kind has its counterexample: shrunk, or after a stop saved as found.
            foreach (var (kind, count) in s.ViolationsByKind.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                var c = s.Counterexamples.First(c => c.Kind == kind);
                t.AddRow($"[red]{Markup.Escape(kind)}[/]", count.ToString("N0"), Markup.Escape(c.Detail), c.TraceHash[..16]);
            }
            console.Write(t);
            if (s.Strategy == "exhaustive")
                console.MarkupLine("[grey]counted: transitions that show a safety kind; final states for deadlock, abandoned-batch and lost-command; states whose wait can never end for the time-based kinds[/]");
            foreach (var c in s.Counterexamples)
            {
                string shrunk = Counterexample.StepsNote(c.Steps, c.StepsBeforeShrink);
                if (c.ShrinkCutShort == true) shrunk += " (shrinking cut short by the stop: a smaller run may exist)";
                Saved(console, $"{c.Kind}: {Plural.Count(c.Steps, "step")}{shrunk}", c.File, c.Chart, c.Replay, c.NotSaved, c.ChartNotSaved);
                if (c.TraceId is not null) console.MarkupLineInterpolated($"    [grey]trace id {c.TraceId}[/]");
            }
        }
        if (s.Outcomes.Count > 0) WriteOutcomes(console, s);
        console.MarkupLineInterpolated($"[grey]branches reached: {string.Join(", ", s.BranchesReached)}[/]");
        if (s.BranchesMissed.Count > 0) console.MarkupLineInterpolated($"[grey]never reached: {string.Join(", ", s.BranchesMissed)}[/]");
    }

    /// <summary>
    /// A counterexample's line after <paramref name="head"/> (its kind and steps): where it and its chart were saved and the
    /// command that replays it, or why it or its chart was not saved. explore's summary and `campaign results` both. A
    /// saved counterexample with no chart and no error was saved after a stop, unreplayed.
    /// </summary>
    public static void Saved(IAnsiConsole console, string head, string? file, string? chart, string? replay, string? notSaved, string? chartNotSaved)
    {
        if (notSaved is not null) console.MarkupLineInterpolated($"  {head}, [red]not saved[/]: {notSaved}");
        else if (chartNotSaved is not null) console.MarkupLineInterpolated($"  {head}, saved to {file}, [red]chart not saved[/]: {chartNotSaved}\n    replay: [bold]{replay}[/]");
        else console.MarkupLineInterpolated($"  {head}, saved to {file}{(chart is null ? $" ({Finding.NotReplayed})" : $", chart {chart}")}\n    replay: [bold]{replay}[/]");
    }

    /// <summary>What a user can do about a search a workload bound cut: said under the summary's space line.</summary>
    public const string BoundHint =
        "a bound stopped the search: raise it (--max-states N, --max-steps N); --first-violation searches fewer states, --stop-at-first stops at the first safety violation";

    /// <summary>What a user can do about a search its time budget cut: said under the summary's space line.</summary>
    public const string TimeoutHint =
        "the time budget stopped the search: raise --timeout or leave it out; --first-violation searches fewer states, --stop-at-first stops at the first safety violation";

    /// <summary>
    /// Observed outcomes with their counts. Pruned and truncated executions end in no outcome, so the
    /// counts are said to cover only the executions that ran to the end, and how many those were.
    /// </summary>
    static void WriteOutcomes(IAnsiConsole console, ExploreSummary s)
    {
        long counted = s.Outcomes.Values.Sum();
        var t = new Table().AddColumns("observed outcome", "executions ending in it");
        foreach (var (o, n) in s.Outcomes.OrderBy(x => x.Key, StringComparer.Ordinal)) t.AddRow(Markup.Escape(o), n.ToString("N0"));
        t.AddRow("[bold]total[/]", $"[bold]{counted:N0}[/]");
        console.Write(t);
        if (counted != s.Runs)
            console.MarkupLineInterpolated($"{Plural.Count(s.Outcomes.Count, "distinct outcome")}; the counts cover the {counted:N0} of {Plural.Count(s.Runs, "execution")} that ran to the end (the others were pruned at a state seen before, or hit maxSteps)");
    }

    /// <summary>One line per variant, as the report's verdict table: what `--variant all` ends with.</summary>
    public static void WriteVerdicts(IAnsiConsole console, IReadOnlyList<ExploreSummary> summaries)
    {
        var t = new Table().AddColumns("variant", "verdict", HtmlReport.RunsHeading(summaries[0].Strategy), "states");
        foreach (var s in summaries)
        {
            string verdict = VerdictWords.Of(s);
            t.AddRow(Markup.Escape(s.Variant), $"[{VerdictWords.Color(verdict)}]{Markup.Escape(verdict)}[/]", s.Runs.ToString("N0"), s.StatesExplored.ToString("N0"));
        }
        console.Write(t);
    }
}
