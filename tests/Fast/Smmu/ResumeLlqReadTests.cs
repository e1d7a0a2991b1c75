using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;
using Xunit;
using static SmmuActors.Tests.Support.TwoThreadMemory;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// Resume's reset programs PROD from llq.prod and CONS from llq.cons (arm_smmu_device_reset's two writel_relaxed): two
/// 32-bit reads of different bytes of the llq word, which Armv8 does not order, so the cons read may take an older
/// write than the prod read did. The model kept them to one location's coherence (CoRR), so CONS was never older than
/// PROD's write: stronger than Arm (docs/model.md, "Memory model" and "Protocol rules").
/// </summary>
[Trait("Suite", "Fast")]
public sealed class ResumeLlqReadTests
{
    /// <summary>
    /// The CPU writes llq twice; the power manager reads it with <paramref name="firstRead"/>'s mark, takes the newest
    /// write, and reads it again: the writes its second read is offered, or the one it is answered with.
    /// </summary>
    static long[] SecondReadMayTake(long firstRead)
    {
        var memory = New(armv8Loads: true);
        var o = new Outbox();
        foreach (var v in new long[] { 0x10_0000_0001, 0x20_0000_0002 })
        {
            o.Begin(Layout.MemoryActor);
            memory.Handle(To(Cpu, MessageKind.Store, Layout.Llq, v), o);
        }
        o.Begin(Layout.MemoryActor);
        memory.Handle(To(Pm, MessageKind.Load, Layout.Llq, firstRead, c: 1), o);
        var newest = o.Messages.Last(m => m.Kind == MessageKind.ReadChoice);
        o.Begin(Layout.MemoryActor);
        memory.Handle(newest, o);
        Assert.Equal(0x20_0000_0002, Assert.Single(o.Messages, m => m.Kind == MessageKind.LoadReply).A);

        o.Begin(Layout.MemoryActor);
        memory.Handle(To(Pm, MessageKind.Load, Layout.Llq, c: 2), o);
        var choices = o.Messages.Where(m => m.Kind == MessageKind.ReadChoice).ToList();
        if (choices.Count == 0) return [Assert.Single(o.Messages, m => m.Kind == MessageKind.LoadReply).A];
        var values = new List<long>();
        foreach (var choice in choices)
        {
            var taking = (MemoryComponent)memory.Clone();
            o.Begin(Layout.MemoryActor);
            taking.Handle(choice, o);
            values.Add(Assert.Single(o.Messages, m => m.Kind == MessageKind.LoadReply).A);
        }
        return [.. values];
    }

    [Fact]
    public void After_a_read_of_one_half_the_other_half_may_read_any_write_the_first_could()
    {
        Assert.Equal([0L, 0x10_0000_0001, 0x20_0000_0002], SecondReadMayTake(MemoryComponent.OtherHalfNext));
        // Unmarked, the two are one location's reads: the second is coherence-after the first.
        Assert.Equal([0x20_0000_0002L], SecondReadMayTake(0));
    }

    sealed class LlqLoads : IRunObserver
    {
        public readonly List<(byte Src, long A)> Seen = [];

        public void Delivered(long step, in Message m, IReadOnlyList<ModelEvent> events, IReadOnlyList<Violation> newViolations)
        {
            if (m.Kind == MessageKind.Load && m.Loc == Layout.Llq && m.Dst == Layout.MemoryActor) Seen.Add((m.Src, m.A));
        }

        public void Finished(RunResult result) { }
    }

    /// <summary>The power manager's resume marks its llq.prod read, and only that read, under Armv8 loads; in-order memory never reads the mark.</summary>
    [Theory]
    [InlineData("armv8", 1)]
    [InlineData("in-order", 0)]
    public void Resume_marks_its_prod_read_so_the_cons_read_after_it_is_unordered(string loads, int marked)
    {
        var model = Scenarios.Shipped("reviewer-race.json", "as-posted", $"loads={loads}");
        var llq = new LlqLoads();
        var run = SmmuActors.Model.Workloads.LocalEngine.Run(model, new RandomStrategy(1, model.Workload.Delays), observer: llq);
        Assert.True(run.Steps > 0);
        var marks = llq.Seen.Where(l => l.A == MemoryComponent.OtherHalfNext).ToList();
        Assert.Equal(marked, marks.Count);
        if (marked == 0) return;
        // The mark is on the first of resume's two reads: the next llq load of that thread is the unmarked cons read.
        int at = llq.Seen.IndexOf(marks[0]);
        Assert.Contains(llq.Seen.Skip(at + 1), l => l.Src == marks[0].Src && l.A == 0);
    }
}
