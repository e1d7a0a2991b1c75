using System.Xml.Linq;
using SmmuActors.Model.Exploration;
using SmmuActors.Reports;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Reports;

/// <summary>
/// A counterexample in the report is named by the switches that ran, as the console names it: its heading and chart title
/// named the preset alone, so one explored with --set read as the bare preset's.
/// </summary>
[Trait("Suite", "Fast")]
public class HtmlReportVariantTests
{
    static readonly XNamespace H = "http://www.w3.org/1999/xhtml";

    [Fact]
    public void ACounterexampleIsNamedByItsSwitches()
    {
        var model = new SmmuActors.Model.Workloads.ScenarioModel(RaceWitness.Model.Workload, SmmuActors.Model.Smmu.Variants.Build("as-posted", ["resume-barrier=none"]));
        var finding = new Finding(RaceWitness.Saved(), model, RaceWitness.Replay(), "cx.json", "cx.svg", Finding.ReplayCommandFor("cx.json"), null);
        Assert.Contains(" under as-posted (resume-barrier=none), ", finding.Title);
        var summary = new ExploreSummary("as-posted", ["resume-barrier=none"], "reviewer-race", "random", "local", 1, 1, 1, Exhausted: false, 0,
            new Dictionary<string, long> { ["stale-translation"] = 1 }, [], new Dictionary<string, long>(), [], [], 0);
        var page = XDocument.Parse(HtmlReport.Render([new ExploredVariant(summary, [finding])], "smmu-actors explore"));
        Assert.Equal("stale-translation under as-posted (resume-barrier=none) on reviewer-race", page.Descendants(H + "h3").Single().Value);
    }
}
