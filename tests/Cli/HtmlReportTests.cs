using SmmuActors.Tests.Support;
using System.Xml;
using System.Xml.Linq;
using SmmuActors.Client;
using SmmuActors.Reports;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Cli;

/// <summary>`explore --report` end to end: the page parses as XML and carries what a reader needs.</summary>
[Collection("cli")]
[Trait("Suite", "Cli")]
public class HtmlReportTests : IDisposable
{
    static readonly XNamespace H = "http://www.w3.org/1999/xhtml";
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Tmp(string name) => Path.Combine(_dir, name);

    static XDocument Load(string path)
    {
        using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    static XElement Table(XDocument page, string cls) => page.Descendants(H + "table").Single(t => (string?)t.Attribute("class") == cls);

    [Fact]
    public async Task ExhaustiveReportShowsVerdictCoverageChartTimelineAndReplay()
    {
        int exit = await CliApp.RunAsync(["explore", "--engine", "local", "--variant", "as-posted", "--workload", TestPaths.Scenario("reviewer-race.json"),
            "--strategy", "exhaustive", "--out", Tmp("cx"), "--report", Tmp("report")]);
        Assert.Equal(1, exit);
        var page = Load(Tmp("report/index.html"));

        var verdict = Assert.Single(Table(page, "verdicts").Descendants(H + "tbody").Elements(H + "tr"));
        Assert.Equal("as-posted", verdict.Elements(H + "td").First().Value);
        Assert.Contains("VIOLATED (stale-translation)", verdict.Elements(H + "td").Select(td => td.Value));

        var coverage = Table(page, "coverage").Descendants(H + "tr").Select(r => r.Value).ToList();
        Assert.Contains(coverage, r => r == "elidereached");
        Assert.Contains(coverage, r => r == "re-checknever");

        var section = page.Descendants(H + "section").Single(s => (string?)s.Attribute("id") == "cx-as-posted-stale-translation");
        Assert.Contains("the SMMU TLB holds its old translation", section.Value);
        // The slice's chart first, the full chart one click away.
        var charts = section.Descendants(Svg + "svg").ToList();
        Assert.Equal(2, charts.Count);
        Assert.EndsWith("causal slice", charts[0].Element(Svg + "title")!.Value);
        Assert.Equal("details", charts[1].Parent!.Parent!.Name.LocalName);
        Assert.All(charts, chart => Assert.Contains(chart.Descendants(Svg + "text"), t => t.Value.StartsWith("!! stale-translation")));
        Assert.Contains(section.Descendants(H + "ol").Single().Elements(H + "li"), li => li.Value.Contains("ELIDED"));
        // A search's witness is its shortest path, saved as found: no shrink figures to show, and no "?" in their place.
        var facts = section.Descendants(H + "ul").Single(u => (string?)u.Attribute("class") == "facts").Elements(H + "li").Select(li => li.Value).ToList();
        Assert.Contains("the exhaustive search's shortest path to this kind, saved as found (not shrunk)", facts);
        Assert.DoesNotContain(facts, f => f.Contains('?') || f.StartsWith("delays above") || f.StartsWith("operations"));
        var replay = section.Descendants(H + "code").Single(c => (string?)c.Attribute("class") == "cmd").Value;
        Assert.Contains("replay", replay);
        string file = Tmp("cx/as-posted-reviewer-race-stale-translation.json");
        Assert.EndsWith(file, replay);
        var timeline = section.Descendants(H + "table").Single(t => (string?)t.Attribute("class") == "timeline");
        var rows = timeline.Element(H + "tbody")!.Elements(H + "tr").ToList();
        Assert.Equal(SmmuActors.Model.Exploration.Counterexample.Load(file).Steps, rows.Count);
        Assert.Single(rows, r => (string?)r.Attribute("class") == "violation");

        // The chart is also saved beside the counterexample, as a standalone SVG.
        Assert.Equal(Svg + "svg", XDocument.Load(Path.ChangeExtension(file, ".svg")).Root!.Name);
    }

    /// <summary>A search that ended each execution at its first violation says so where the space is, as the console does.</summary>
    [Fact]
    public async Task AFirstViolationSearchSaysSoInItsVerdictRow()
    {
        int exit = await CliApp.RunAsync(["explore", "--engine", "local", "--variant", "unmasked-flags", "--workload", TestPaths.Scenario("reviewer-race.json"),
            "--strategy", "exhaustive", "--first-violation", "--out", Tmp("cx"), "--report", Tmp("report")]);
        Assert.Equal(1, exit);
        var verdict = Assert.Single(Table(Load(Tmp("report/index.html")), "verdicts").Descendants(H + "tbody").Elements(H + "tr"));
        Assert.Contains("exhausted to first violations", verdict.Elements(H + "td").Select(td => td.Value));
    }

    [Fact]
    public async Task VariantAllGivesOneVerdictRowPerPreset()
    {
        await CliApp.RunAsync(["explore", "--engine", "local", "--variant", "all", "--workload", TestPaths.Scenario("reviewer-race.json"),
            "--strategy", "random", "--runs", "200", "--out", Tmp("cx"), "--report", Tmp("report")]);
        var page = Load(Tmp("report/index.html"));
        var rows = Table(page, "verdicts").Descendants(H + "tbody").Elements(H + "tr").Select(r => r.Elements(H + "td").First().Value).ToList();
        Assert.Equal(Variants.Presets.Select(p => p.Name), rows);
        var coverageColumns = Table(page, "coverage").Descendants(H + "th").Skip(1).Select(th => th.Value);
        Assert.Equal(Variants.Presets.Select(p => p.Name), coverageColumns);
        // A random witness is shrunk: its facts give the shrink's figures and the run that found it.
        var facts = page.Descendants(H + "ul").Where(u => (string?)u.Attribute("class") == "facts").SelectMany(u => u.Elements(H + "li")).Select(li => li.Value).ToList();
        Assert.NotEmpty(facts);
        Assert.Contains(facts, f => System.Text.RegularExpressions.Regex.IsMatch(f, @"^delays above the minimum: \d+ \(before shrinking: \d+\)$"));
        Assert.Contains(facts, f => System.Text.RegularExpressions.Regex.IsMatch(f, @"^found by run \d+ of seed \d+$"));
    }
}
