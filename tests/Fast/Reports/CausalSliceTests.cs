using SmmuActors.Model.Sim;
using SmmuActors.Model.Exploration;
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

    /// <summary>A stop ends a slice rather than waiting for it: a run of millions of deliveries takes seconds to slice.</summary>
    [Fact]
    public void A_stop_ends_the_slice_and_the_story()
    {
        var run = RaceWitness.Replay();
        var stopped = new CancellationToken(canceled: true);
        Assert.Throws<OperationCanceledException>(() => CausalSlice.Rows(run, cancel: stopped));
        Assert.Throws<OperationCanceledException>(() => CausalSlice.Story(RaceWitness.Shrunk.Model, run, cancel: stopped));
        var told = CausalSlice.Tell(RaceWitness.Shrunk.Model, run, null, CancellationToken.None);
        Assert.Equal(CausalSlice.Rows(run).Count(x => x), told.Sliced);
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

    /// <summary>
    /// A counterexample of one kind may show another kind first on its path (a queue-invariant witness after a
    /// commit-after-drain): its story is told to its own kind's violation, not to the run's first.
    /// </summary>
    [Fact]
    public void EachKindOfARunWithSeveralIsToldToItsOwnViolation()
    {
        var model = Scenarios.Shipped("reviewer-race.json", "gate-outside-cas");
        static long[] FirstSteps(RunResult r) => r.Violations.GroupBy(v => v.Kind).Select(g => g.Min(v => v.Step)).ToArray();
        var run = Enumerable.Range(1, 20_000).Select(seed => Scenarios.Random(model, (ulong)seed, trace: true))
            .First(r => FirstSteps(r) is { Length: >= 2 } steps && steps.Distinct().Count() == steps.Length);
        var kinds = run.Violations.Select(v => v.KindName).Distinct().ToList();
        var entries = run.Trace!.Entries;
        foreach (var kind in kinds)
        {
            long step = run.Violations.Where(v => v.KindName == kind).Min(v => v.Step);
            var story = CausalSlice.Story(model, run, kind);
            Assert.StartsWith($"VIOLATION {kind}", story[^1].Text);
            Assert.All(story, l => Assert.True(l.Step <= step, $"{kind}: '{l.Text}' at step {l.Step} comes after its violation at {step}"));
            var slice = CausalSlice.Rows(run, kind);
            int last = entries.ToList().FindLastIndex(e => e.Step <= step);
            Assert.True(slice[last]);
            Assert.DoesNotContain(true, slice.Skip(last + 1));
        }
        // Told to the run's first violation, as without a kind, the last kind's story would end before its own.
        var later = kinds.MaxBy(k => run.Violations.Where(v => v.KindName == k).Min(v => v.Step))!;
        Assert.DoesNotContain($"VIOLATION {later}", CausalSlice.Story(model, run)[^1].Text);
    }

    /// <summary>
    /// A search witness replays untimed: a message's own time is nominal (its send time + 1), and it may be delivered
    /// any number of steps later. Its log shows each delivery at its step, which is the send time of what it sent, so
    /// the slice finds every message's sender. By the nominal time it missed the senders of messages that had waited:
    /// the as-posted reviewer-race witness's slice held 92 of its 105 deliveries, and holds 105 of its 107.
    /// </summary>
    [Fact]
    public void EveryMessageOfASearchWitnessIsLinkedToTheDeliveryThatSentIt()
    {
        var model = Scenarios.Shipped("reviewer-race.json", "gate-outside-cas");
        var (search, _, exhausted) = Scenarios.Exhaustive(model);
        Assert.True(exhausted);
        Assert.True(search.Witnesses.Count >= 4);
        foreach (var (kind, witness) in search.Witnesses)
        {
            var run = Counterexample.Replay(model, witness.Choices, untimed: true, Naming.Kebab(kind), recordTrace: true);
            var entries = run.Trace!.Entries;
            var sender = SenderRows.Of(entries, entries.Count);
            for (int i = 0; i < entries.Count; i++)
            {
                var m = entries[i].Message;
                Assert.Equal(entries[i].Step, m.Time);
                if (m.Kind == MessageKind.Start) continue;
                Assert.InRange(sender[i], 0, i - 1);
                Assert.Equal(m.Src, entries[sender[i]].Message.Dst);
                Assert.Equal(m.SendTime, entries[sender[i]].Step);
            }
        }
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
