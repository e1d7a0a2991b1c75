using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using static SmmuActors.Tests.Support.TwoThreadMemory;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// rmw-write=split under loads=armv8: a CPU's returning RMW answers with what it read and writes later, as a store of
/// that CPU the CPU does not wait for. aarch64.cat orders a relaxed RMW's write before nothing later of its CPU, so a
/// later store to another location may become visible first; atomicity keeps every other write to the location out
/// until the RMW's write lands.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class RmwWriteTests
{
    static Message Store(byte src, MessageKind kind, int loc, long a = 0, long b = 0) => To(src, kind, loc, a, b, order: Ordering.IsStore, seq: 10);

    /// <summary>cpu0's CAS of llq (0 at first) from <paramref name="expected"/> to <paramref name="value"/>, delivered to memory.</summary>
    static (MemoryComponent Memory, Outbox Out) Cas(bool split, bool armv8 = true, long expected = 0, long value = 2)
    {
        var memory = New(armv8, split);
        var o = new Outbox();
        o.Begin(Layout.MemoryActor);
        memory.Handle(Store(Cpu, MessageKind.Cas, Layout.Llq, expected, value), o);
        return (memory, o);
    }

    [Fact]
    public void A_split_cas_answers_at_once_and_writes_when_its_write_is_delivered()
    {
        var (memory, o) = Cas(split: true);
        var reply = Assert.Single(o.Messages, m => m.Kind == MessageKind.RmwReply);
        Assert.Equal((Cpu, 0L), (reply.Dst, reply.A));
        var write = Assert.Single(o.Messages, m => m.Kind == MessageKind.RmwWrite);
        Assert.Equal((Cpu, Layout.MemoryActor, Layout.Llq, 2L), (write.Src, write.Dst, write.Loc, write.A));
        Assert.True((write.Order & Ordering.IsStore) != 0, "the CPU's barriers and fences must wait for its RMW's write");
        Assert.Equal(0, memory.Read(Layout.Llq));

        o.Begin(Layout.MemoryActor);
        memory.Handle(write, o);
        Assert.Equal(2, memory.Read(Layout.Llq));
    }

    /// <summary>Not split (the default), or split but under in-order loads, where the switch does nothing.</summary>
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Otherwise_the_cas_writes_with_its_read(bool split, bool armv8)
    {
        var (memory, o) = Cas(split, armv8);
        Assert.DoesNotContain(o.Messages, m => m.Kind == MessageKind.RmwWrite);
        Assert.Equal(2, memory.Read(Layout.Llq));
    }

    [Fact]
    public void A_failing_cas_writes_nothing_even_split()
    {
        var (_, o) = Cas(split: true, expected: 5, value: 7);
        Assert.DoesNotContain(o.Messages, m => m.Kind == MessageKind.RmwWrite);
        Assert.Equal(0L, Assert.Single(o.Messages).A);
    }

    [Fact]
    public void Only_writes_to_the_location_wait_for_the_rmws_write()
    {
        var write = new Message { Src = Cpu, Dst = Layout.MemoryActor, Kind = MessageKind.RmwWrite, Loc = Layout.Llq, Order = Ordering.IsStore, Seq = 11 };
        Message Later(byte src, MessageKind kind, int loc, Ordering order) =>
            new() { Src = src, Dst = Layout.MemoryActor, Kind = kind, Loc = loc, Order = order, Seq = 12 };
        // Another CPU's RMW or store there comes after it (atomicity); its load there may read the older value.
        Assert.True(OrderingRules.MustPrecede(write, Later(Pm, MessageKind.FetchOr, Layout.Llq, Ordering.IsStore)));
        Assert.True(OrderingRules.MustPrecede(write, Later(Pm, MessageKind.StoreCons, Layout.Llq, Ordering.IsStore)));
        Assert.False(OrderingRules.MustPrecede(write, Later(Pm, MessageKind.Load, Layout.Llq, Ordering.None)));
        // The CPU's own later store elsewhere may land first; its barrier and its own later access there may not.
        Assert.False(OrderingRules.MustPrecede(write, Later(Cpu, MessageKind.Store, L.Slot(0), Ordering.IsStore)));
        Assert.True(OrderingRules.MustPrecede(write, Later(Cpu, MessageKind.Barrier, 0, Ordering.AfterStores)));
        // readl's dma_rmb (DMB LD) orders no earlier write: its request's location 0 is no access of llq.
        Assert.False(OrderingRules.MustPrecede(write, Later(Cpu, MessageKind.Barrier, 0, Ordering.None) with { A = MemoryComponent.ReadFenceAfterDevice }));
        Assert.True(OrderingRules.MustPrecede(write, Later(Cpu, MessageKind.Load, Layout.Llq, Ordering.None)));
        // A CAS taken before it and waiting at its read choices performs on the newest write only after it lands; its
        // choices of older writes need not wait.
        var performNow = new Message { Src = Layout.MemoryActor, Dst = Layout.MemoryActor, Kind = MessageKind.ReadChoice, Loc = Layout.Llq, A = WriteHistory.PerformNow, B = Pm, Order = Ordering.Alternative };
        Assert.True(OrderingRules.MustPrecede(write, performNow));
        Assert.False(OrderingRules.MustPrecede(write, performNow with { A = 0 }));
    }
}
