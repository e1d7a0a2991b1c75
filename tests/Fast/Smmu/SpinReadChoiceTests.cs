using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using Xunit;
using static SmmuActors.Tests.Support.TwoThreadMemory;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// Under loads=armv8 a spin on a word plain loads read (the lock, llq) reads as a load does: it may end on an older
/// write its condition holds for, not only on the newest (docs/model.md, "Memory model"). Under in-order loads, and
/// where no older write fits, it ends on the newest or parks, as before.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class SpinReadChoiceTests
{
    /// <summary>The CPU takes the lock and lets it go twice (0, 1, 0, 1); then the power manager spins for lock == 0.</summary>
    static (MemoryComponent, Outbox) LockCycledThenSpun(bool armv8)
    {
        var memory = New(armv8);
        var o = new Outbox();
        foreach (var v in new long[] { 1, 0, 1 })
        {
            o.Begin(Layout.MemoryActor);
            memory.Handle(To(Cpu, MessageKind.Store, Layout.Lock, v), o);
        }
        o.Begin(Layout.MemoryActor);
        memory.Handle(To(Pm, MessageKind.Wait, Layout.Lock, a: 0, b: 0xFFFFFFFFL, c: (7L << 8) | (byte)WaitPredicate.MaskedEquals), o);
        return (memory, o);
    }

    [Fact]
    public void Under_armv8_a_spin_may_end_on_either_older_zero_or_read_on_to_the_newest()
    {
        var (memory, o) = LockCycledThenSpun(armv8: true);
        var choices = o.Messages.Where(m => m.Kind == MessageKind.ReadChoice).ToList();
        // The initial 0 and the second write's 0 (offsets 0 and 2 from the oldest readable), and the newest (PerformNow).
        Assert.Equal([0L, 2L, WriteHistory.PerformNow], choices.Select(m => m.A));
        Assert.DoesNotContain(o.Messages, m => m.Kind == MessageKind.WaitReply);

        var ended = (MemoryComponent)memory.Clone();
        o.Begin(Layout.MemoryActor);
        ended.Handle(choices[1], o);
        var reply = Assert.Single(o.Messages);
        Assert.Equal((MessageKind.WaitReply, Pm, 0L, (7L << 8) | (byte)WaitPredicate.MaskedEquals), (reply.Kind, reply.Dst, reply.A, reply.C));

        o.Begin(Layout.MemoryActor);
        memory.Handle(choices[2], o);
        Assert.Empty(o.Messages); // the newest is 1: the spin parks
        Assert.Equal(Layout.Lock, memory.ParkedAt(Pm));
    }

    [Fact]
    public void Under_in_order_loads_the_spin_sees_only_the_newest_and_parks()
    {
        var (memory, o) = LockCycledThenSpun(armv8: false);
        Assert.Empty(o.Messages);
        Assert.Equal(Layout.Lock, memory.ParkedAt(Pm));
    }
}
