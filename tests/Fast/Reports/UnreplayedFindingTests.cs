using System.Xml.Linq;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Reports;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Reports;

/// <summary>
/// A counterexample saved after a stop is not replayed: it is saved with no chart, an earlier explore's chart in its place
/// is removed rather than left to show another run, and the report says why it has no story or chart; a report written
/// after the stop draws none for a replayed one either.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class UnreplayedFindingTests : IDisposable
{
    static readonly XNamespace H = "http://www.w3.org/1999/xhtml";
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-unreplayed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    Finding Race(RunResult? replay)
    {
        string file = Path.Combine(_dir, "cx.json");
        return new Finding(RaceWitness.Saved(), RaceWitness.Shrunk.Model, replay, file, Path.ChangeExtension(file, ".svg"), Finding.ReplayCommandFor(file), null);
    }

    static XDocument Report(Finding f, CancellationToken cancel = default)
    {
        var summary = new ExploreSummary("as-posted", [], "reviewer-race", "random", "local", 1, 1, 1, Exhausted: false, 0,
            new Dictionary<string, long> { ["stale-translation"] = 1 }, [], new Dictionary<string, long>(), [], [], 0);
        return XDocument.Parse(HtmlReport.Render([new ExploredVariant(summary, [f])], "smmu-actors explore", cancel));
    }

    [Fact]
    public void Unreplayed_it_is_saved_without_a_chart_and_an_earlier_chart_goes()
    {
        var f = Race(null);
        File.WriteAllText(f.ChartFile, "<svg>an earlier run</svg>");
        var saved = f.Save();
        Assert.True(File.Exists(f.File));
        Assert.False(File.Exists(f.ChartFile));
        Assert.Null(saved.ChartNotSaved);
        Assert.Equal((f.File, null, f.ReplayCommand), saved.Written);
        Assert.Contains(Finding.NotReplayed, Report(saved).Root!.Value);

        var replayed = Race(RaceWitness.Replay()).Save();
        Assert.True(File.Exists(replayed.ChartFile));
        Assert.Equal(replayed.ChartFile, replayed.Written.Chart);
    }

    [Fact]
    public void A_report_written_after_the_stop_draws_no_story_or_chart()
    {
        var f = Race(RaceWitness.Replay());
        var stopped = Report(f, new CancellationToken(canceled: true));
        Assert.Contains(HtmlReport.Stopped, stopped.Root!.Value);
        Assert.DoesNotContain(stopped.Descendants(H + "ol"), o => (string?)o.Attribute("class") == "story");
        var whole = Report(f);
        Assert.DoesNotContain(HtmlReport.Stopped, whole.Root!.Value);
        Assert.Single(whole.Descendants(H + "ol"), o => (string?)o.Attribute("class") == "story");
    }
}
