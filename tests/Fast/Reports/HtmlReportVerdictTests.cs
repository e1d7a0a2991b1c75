using System.Xml.Linq;
using SmmuActors.Model.Exploration;
using SmmuActors.Reports;

namespace SmmuActors.Tests.Reports;

/// <summary>
/// The report's verdict row says what the console says: it called every clean row "ok", in green, for a search a bound or
/// a cancel stopped, a clean in-order search and a sampled campaign alike, none of which proves anything.
/// </summary>
[Trait("Suite", "Fast")]
public class HtmlReportVerdictTests
{
    static readonly XNamespace H = "http://www.w3.org/1999/xhtml";

    static readonly ExploreSummary Searched = new("recheck-mb", ["elide-recheck=dma-mb"], "w", "exhaustive", "local", 0, 7, 1000, Exhausted: false, 0,
        new Dictionary<string, long>(), [], new Dictionary<string, long>(), [], [], 0, IncompleteReason: "maxStates (1,000)");

    public static TheoryData<string, ExploreSummary, string, string> Rows => new()
    {
        { "bound hit", Searched, "INCOMPLETE (stopped by maxStates (1,000))", "weak" },
        { "cancelled", Searched with { IncompleteReason = SearchLimits.Cancelled }, "INCOMPLETE: cancelled after 1,000 states searched", "weak" },
        { "in-order", Searched with { Exhausted = true, IncompleteReason = null, LoadsInOrder = true },
            "NO VIOLATION UNDER IN-ORDER LOADS (stronger than Armv8, not a proof: --set loads=armv8 for one)", "weak" },
        { "sampled", Searched with { Strategy = "random", Runs = 300, IncompleteReason = null }, "NO VIOLATION FOUND (random, 300 runs)", "weak" },
        { "sampled, cut", Searched with { Strategy = "random", Runs = 300, Truncated = 300, IncompleteReason = null }, "NO VIOLATION FOUND (random, 300 runs, 300 cut by maxSteps)", "weak" },
        { "proof", Searched with { Exhausted = true, IncompleteReason = null }, "HOLDS", "ok" },
        { "violated", Searched with { ViolationsByKind = new Dictionary<string, long> { ["lost-command"] = 2 } }, "VIOLATED (lost-command)", "bad" },
    };

    static List<XElement> Cells(ExploreSummary s, string column)
    {
        var page = XDocument.Parse(HtmlReport.Render([new ExploredVariant(s, [])], "smmu-actors explore"));
        var table = page.Descendants(H + "table").Single(t => (string?)t.Attribute("class") == "verdicts");
        int at = table.Descendants(H + "th").Select(th => th.Value).ToList().IndexOf(column);
        Assert.True(at >= 0, $"no column '{column}'");
        return table.Descendants(H + "tbody").Elements(H + "tr").Select(tr => tr.Elements(H + "td").ElementAt(at)).ToList();
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void TheVerdictCellIsTheConsolesVerdict(string why, ExploreSummary s, string verdict, string cls)
    {
        var cell = Assert.Single(Cells(s, "verdict"));
        Assert.True(verdict == cell.Value, $"{why}: {cell.Value}");
        Assert.Equal(cls, (string?)cell.Attribute("class"));
    }

    /// <summary>A search counts final states, not executions (it merges them); a campaign counts runs.</summary>
    [Fact]
    public void TheCountColumnSaysWhatItCounts()
    {
        Assert.Equal("7", Assert.Single(Cells(Searched, "final states")).Value);
        Assert.Equal("300", Assert.Single(Cells(Searched with { Strategy = "random", Runs = 300 }, "runs")).Value);
    }
}
