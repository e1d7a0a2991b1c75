using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Reports;

/// <summary>
/// A counterexample ready to show: the shrunk counterexample, its recorded replay, where both are saved and how to replay it.
/// <see cref="NotSaved"/>: why neither could be written there (<see cref="Save"/>).
/// </summary>
public sealed record Finding(Counterexample Counterexample, ScenarioModel Model, RunResult Replay, string File, string ChartFile, string ReplayCommand, string? TraceId,
    string? NotSaved = null)
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
    /// Saves the counterexample in <see cref="File"/> and draws the replay's sequence chart into <see cref="ChartFile"/>: both
    /// or neither (the counterexample is taken back if its chart cannot be written). One that cannot be written comes back
    /// with <see cref="NotSaved"/> rather than as an exception, so the verdict the work found is still printed, and the
    /// other outputs written, before the command says what was not (a directory in the file's place, a full disk).
    /// </summary>
    public Finding Save()
    {
        string chart = SequenceChart.Render(Model, Replay, Title).ToString();
        try { AtomicFile.WriteAllText(File, Counterexample.ToJson()); }
        catch (OutputException e) { return this with { NotSaved = e.Message }; }
        try { AtomicFile.WriteAllText(ChartFile, chart); }
        catch (OutputException e)
        {
            try { global::System.IO.File.Delete(File); }
            catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
            {
                return this with { NotSaved = $"{e.Message}; and its counterexample {File}, written first, could not be taken back: {gone.Message}" };
            }
            return this with { NotSaved = e.Message };
        }
        return this;
    }

    /// <summary>What explore and `campaign results` print on standard error, and exit 2 for, after their outputs: the files they could not write.</summary>
    public static bool ReportNotSaved(IEnumerable<Finding> findings)
    {
        bool any = false;
        foreach (var f in findings.Where(f => f.NotSaved is not null))
        {
            Console.Error.WriteLine($"error: the {f.Counterexample.Kind} counterexample was not saved: {f.NotSaved}; nothing was written for it");
            any = true;
        }
        return any;
    }
}

/// <summary>One variant's exploration: its summary and its counterexamples, ready to print or put in a report.</summary>
public sealed record ExploredVariant(ExploreSummary Summary, IReadOnlyList<Finding> Findings);
