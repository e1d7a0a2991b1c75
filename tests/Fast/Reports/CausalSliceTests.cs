using System.Xml.Linq;
using SmmuActors.Reports;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Reports;

/// <summary>The reviewer's race told as its causal slice: short, in order, and carrying every step of the argument.</summary>
[Trait("Suite", "Fast")]
public class CausalSliceTests
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void TheRaceIsAStoryOfAtMostFifteenLines()
    {
        var run = RaceWitness.Replay();
        var story = CausalSlice.Story(RaceWitness.Shrunk.Model, run).Select(l => l.Text).ToList();
        Assert.InRange(story.Count, 5, 15);
        // The argument is two chains that meet at the elision: the suspend sets STOP before cpu0 reads it, and cpu0's
        // PTE store precedes its read in program order; which of the two comes first is the run's, not the argument's.
        string[] tail = ["cpu0: TLBI for A ELIDED: STOP seen set", "cpu0: unmap of A returned", "pm clears STOP", "pm SMMUEN=1",
            "smmu: TLB fill A -> generation 1", "VIOLATION stale-translation"];
        foreach (var head in new[] { "pm sets STOP in llq.prod", "cpu0 store pte[A] (posted, delayed" })
        {
            var at = tail.Prepend(head).Select(a => story.FindIndex(l => l.StartsWith(a))).ToList();
            Assert.DoesNotContain(-1, at);
            Assert.Equal(at.Order(), at);
        }
        Assert.StartsWith("VIOLATION", story[^1]);
    }

    [Fact]
    public void TheSliceLeavesOutWhatTheViolationDoesNotDependOn()
    {
        var run = RaceWitness.Replay();
        var slice = CausalSlice.Rows(run);
        int violation = run.Trace!.Entries.ToList().FindIndex(e => e.Step == run.Violations[0].Step);
        Assert.True(slice[violation]);
        Assert.DoesNotContain(true, slice.Skip(violation + 1));
        Assert.Contains(false, slice.Take(violation));
    }

    [Fact]
    public void TheCompactChartDrawsOnlyTheStory()
    {
        var model = RaceWitness.Shrunk.Model;
        var run = RaceWitness.Replay();
        var rows = StoryLine.ChartRows(CausalSlice.Story(model, run));
        static int Rows(XElement chart) => chart.Descendants(Svg + "text").Count(t => t.Value.StartsWith("t="));
        Assert.Equal(rows.Count, Rows(SequenceChart.Render(model, run, "slice", rows)));
        Assert.Equal(run.Steps, Rows(SequenceChart.Render(model, run, "full")));
    }
}
