using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Reports;

/// <summary>
/// A counterexample ready to show: the shrunk counterexample, its recorded replay, where both are saved and how to replay it.
/// <see cref="Replay"/> null: the stop came before the replay, so it has no chart or story here (`replay` tells the story).
/// <see cref="NotSaved"/>: why the counterexample could not be written there; <see cref="ChartNotSaved"/>: why its chart
/// could not, the counterexample being saved (<see cref="Save"/>).
/// </summary>
public sealed record Finding(Counterexample Counterexample, ScenarioModel Model, RunResult? Replay, string File, string ChartFile, string ReplayCommand, string? TraceId,
    string? NotSaved = null, string? ChartNotSaved = null)
{
    public string Title => $"{Counterexample.Kind}: {Counterexample.Workload} under {VariantLabel.Of(Model.Variant)}, {Counterexample.Steps} steps" +
        Counterexample.StepsNote(Counterexample.Steps, Counterexample.StepsBeforeShrink);

    /// <summary>The command that replays the counterexample saved in <paramref name="file"/>, the path one shell word so it can be pasted as is.</summary>
    public static string ReplayCommandFor(string file) => $"smmu-actors replay {ShellWord(file)}";

    static string ShellWord(string s) => s.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+:=".Contains(c)) ? s : $"'{s.Replace("'", "'\\''")}'";

    /// <summary>
    /// What explore and `campaign results` print before shrinking witness <paramref name="number"/> of <paramref name="of"/>:
    /// after a stop the rest are saved as found. <paramref name="why"/>: why this process shrinks it, where another usually does.
    /// </summary>
    public static string ShrinkLine(Witness witness, int number, int of, bool stopped, string? why = null) => stopped
        ? $"saving the {Naming.Kebab(witness.Kind)} witness unshrunk ({number} of {of})..."
        : why is null
            ? $"shrinking the {Naming.Kebab(witness.Kind)} witness ({number} of {of})..."
            : $"shrinking the {Naming.Kebab(witness.Kind)} witness here ({number} of {of}; {why})...";

    /// <summary>
    /// Saves the counterexample in <see cref="File"/>, then draws the replay's sequence chart, if replayed, into
    /// <see cref="ChartFile"/> (else removes an earlier one there), each whole or not at all. What cannot be written comes back in <see cref="NotSaved"/> (then neither was) or
    /// <see cref="ChartNotSaved"/> (the counterexample was, and replays) rather than as an exception, so the verdict the work
    /// found is still printed, and the other outputs written, before the command says what was not (a directory in the
    /// file's place, a full disk). A saved counterexample is never taken back: that could only delete what a link pointed
    /// to, or the earlier search's file the save had just replaced.
    /// </summary>
    public Finding Save()
    {
        try { Counterexample.Save(File); }
        catch (OutputException e) { return this with { NotSaved = e.Message }; }
        if (Replay is null) return RemoveOldChart();
        try { AtomicFile.WriteAllText(ChartFile, SequenceChart.Render(Model, Replay, Title).ToString()); }
        catch (OutputException e) { return this with { ChartNotSaved = e.Message }; }
        return this;
    }

    /// <summary>
    /// Unreplayed, no chart is drawn, and one an earlier explore left at <see cref="ChartFile"/> (a plain file, or a link
    /// to one: the link goes) would show another run beside this counterexample: it is removed.
    /// </summary>
    Finding RemoveOldChart()
    {
        try
        {
            if (PathKinds.Of(ChartFile) == PathKind.File) System.IO.File.Delete(ChartFile);
            return this;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return this with { ChartNotSaved = $"an earlier chart is in its place and could not be removed: {e.Message}" };
        }
    }

    /// <summary>The counterexample's file, its chart and the command that replays it, each only where it was written: what the JSON names.</summary>
    public (string? File, string? Chart, string? Replay) Written => NotSaved is not null ? (null, null, null)
        : (File, ChartNotSaved is null && Replay is not null ? ChartFile : null, ReplayCommand);

    /// <summary>What the summary says in place of the chart of a counterexample the stop left unreplayed.</summary>
    public const string NotReplayed = "no chart: the stop came before its replay; replay FILE checks it and tells its story";

    /// <summary>What explore and `campaign results` print on standard error, and exit 2 for, after their outputs: the files they could not write.</summary>
    public static bool ReportNotSaved(IEnumerable<Finding> findings)
    {
        bool any = false;
        foreach (var f in findings)
        {
            if (f.NotSaved is not null)
                Console.Error.WriteLine($"error: the {f.Counterexample.Kind} counterexample was not saved: {f.NotSaved}; nothing was written for it");
            else if (f.ChartNotSaved is not null)
                Console.Error.WriteLine($"error: the {f.Counterexample.Kind} counterexample's chart was not saved: {f.ChartNotSaved}; the counterexample was, in {f.File}");
            else continue;
            any = true;
        }
        return any;
    }
}

/// <summary>One variant's exploration: its summary and its counterexamples, ready to print or put in a report.</summary>
public sealed record ExploredVariant(ExploreSummary Summary, IReadOnlyList<Finding> Findings);
