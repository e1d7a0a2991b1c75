using SmmuActors.Tests.Support;
using System.Xml;
using System.Xml.Linq;
using SmmuActors.Reports;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Reports;

/// <summary>The SVG chart is well-formed and shows what a reviewer needs: lanes, the overtaken message, STOP/SMMUEN, the violation.</summary>
[Trait("Suite", "Fast")]
public class SequenceChartTests
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    static XDocument Parse(XElement chart)
    {
        using var reader = XmlReader.Create(new StringReader(chart.ToString()), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        return XDocument.Load(reader);
    }

    static List<string> Texts(XDocument svg) => svg.Descendants(Svg + "text").Select(t => t.Value).ToList();

    [Fact]
    public void RaceChartIsWellFormedSvgWithTheViolationMarked()
    {
        var run = RaceWitness.Replay();
        var doc = Parse(SequenceChart.Render(RaceWitness.Shrunk.Model, run, "race"));
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        var texts = Texts(doc);
        foreach (var lane in new[] { "cpu0", "pm", "memory", "smmu" }) Assert.Contains(lane, texts);
        Assert.Contains(texts, t => t.StartsWith("!! stale-translation"));
        Assert.Contains(doc.Descendants(Svg + "circle").Select(c => c.Element(Svg + "title")?.Value ?? ""), t => t.StartsWith("stale-translation"));
        Assert.Contains("STOP set in llq.prod", texts);
        Assert.Contains(texts, t => t.StartsWith("SMMUEN=0"));
        Assert.Contains(texts, t => t.StartsWith("SMMUEN=1"));
        // The PTE store that the race depends on is drawn as an injected, overtaken delay.
        Assert.Contains(texts, t => t.StartsWith("store pte[A] (delayed"));
        Assert.Equal(run.Steps, texts.Count(t => t.StartsWith("t=")));
    }

    [Fact]
    public void ASecondOfIdleTimeIsABreakNotASecondOfChart()
    {
        var text = File.ReadAllText(TestPaths.Scenario("reviewer-race.json"))
            .Replace("{ \"op\": \"idle\", \"ticks\": 20 }", "{ \"op\": \"idle\", \"ticks\": 1000000000 }");
        Assert.Contains("1000000000", text);
        var model = Scenarios.Inline(text);
        var run = LocalEngine.Run(model, RandomBatch.Strategy(model, 1, 0), recordTrace: true);
        Assert.True(run.EndTime > 1_000_000_000);
        var doc = Parse(SequenceChart.Render(model, run, "idle"));
        Assert.Contains(Texts(doc), t => t.Contains("1 s pass"));
        double height = double.Parse(doc.Root!.Attribute("height")!.Value);
        Assert.True(height < 200 + 60.0 * run.Steps, $"chart {height} px tall for {run.Steps} steps");
    }
}
