using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Reports;

/// <summary>A counterexample ready to show: the shrunk counterexample, its recorded replay, where both were saved and how to replay it.</summary>
public sealed record Finding(Counterexample Counterexample, ScenarioModel Model, RunResult Replay, string File, string ChartFile, string ReplayCommand, string? TraceId)
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

    /// <summary>Draws the replay's sequence chart into <see cref="ChartFile"/>, whole or not at all.</summary>
    public void WriteChart() => AtomicFile.WriteAllText(ChartFile, SequenceChart.Render(Model, Replay, Title).ToString());
}

/// <summary>One variant's exploration: its summary and its counterexamples, ready to print or put in a report.</summary>
public sealed record ExploredVariant(ExploreSummary Summary, IReadOnlyList<Finding> Findings);
