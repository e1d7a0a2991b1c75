using System.Globalization;
using System.Xml.Linq;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;
using SmmuActors.Reports;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Reports;

/// <summary>
/// No two notes of a chart overlap, for every counterexample the shipped workloads give: the
/// reviewer's race, and what a short random campaign finds under every preset on every workload.
/// </summary>
[Trait("Suite", "Fast")]
public class ChartNoteTests
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public static TheoryData<string> Workloads => ["reviewer-race.json", "storm.json", "pm-cycles.json"];

    /// <summary>A note's ink: from the ascender (0.8 em above the baseline) to the descender (0.25 em below), 0.6 em a character.</summary>
    public readonly record struct Box(double X, double Top, double Right, double Bottom, string Text)
    {
        public bool Overlaps(Box o) => X < o.Right && o.X < Right && Top < o.Bottom && o.Top < Bottom;
    }

    public static List<Box> NoteBoxes(XElement chart) =>
        [.. chart.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "note").Select(t =>
        {
            double x = D(t, "x"), y = D(t, "y"), size = D(t, "font-size");
            return new Box(x, y - 0.8 * size, x + 0.6 * size * t.Value.Length, y + 0.25 * size, t.Value);
        })];

    public static List<(Box, Box)> Overlapping(XElement chart)
    {
        var boxes = NoteBoxes(chart).OrderBy(b => b.Top).ToList();
        var pairs = new List<(Box, Box)>();
        for (int i = 0; i < boxes.Count; i++)
            for (int j = i + 1; j < boxes.Count && boxes[j].Top < boxes[i].Bottom; j++)
                if (boxes[i].Overlaps(boxes[j])) pairs.Add((boxes[i], boxes[j]));
        return pairs;
    }

    static double D(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    /// <summary>A plain run (a workload may have no counterexample), and every preset's first witness of each kind in a short random campaign, as charts.</summary>
    public static IEnumerable<(string Name, XElement Chart)> Charts(string workload)
    {
        var w = WorkloadLoader.LoadFile(TestPaths.Scenario(workload));
        var asPosted = new ScenarioModel(w, Variant.AsPosted);
        yield return ($"as-posted-{w.Name}-run-0", SequenceChart.Render(asPosted, LocalEngine.Run(asPosted, RandomBatch.Strategy(asPosted, 1, 0), recordTrace: true), "run 0"));
        foreach (var (preset, _, _) in Variants.Presets)
        {
            var model = new ScenarioModel(w, Variants.Build(preset, []));
            var found = Explorer.Random(model, 1, 400, Environment.ProcessorCount, null, CancellationToken.None);
            foreach (var witness in found.Witnesses.Values)
            {
                var run = LocalEngine.Run(model, new ReplayStrategy(witness.Choices, w.Delays), recordTrace: true);
                yield return ($"{preset}-{w.Name}-{Naming.Kebab(witness.Kind)}", SequenceChart.Render(model, run, "notes"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void NoTwoNotesOverlap(string workload)
    {
        var charts = Charts(workload).ToList();
        if (workload == "reviewer-race.json") charts.Add(("race", SequenceChart.Render(RaceWitness.Shrunk.Model, RaceWitness.Replay(), "race")));
        Assert.All(charts, c => Assert.NotEmpty(NoteBoxes(c.Chart)));
        var bad = charts.SelectMany(c => Overlapping(c.Chart).Select(p => $"{c.Name}: '{p.Item1.Text}' / '{p.Item2.Text}'")).ToList();
        Assert.True(bad.Count == 0, $"{bad.Count} overlapping note pairs, e.g.\n{string.Join("\n", bad.Take(5))}");
    }
}
