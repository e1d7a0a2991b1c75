using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Sim;

/// <summary>
/// The SMMU's mark of the moment it answered a readl (<see cref="MessageKind.DeviceMark"/>): the untimed search delivers
/// it before anything else can happen, so memory records that moment and not a later one, and the reader's fence never
/// reaches memory before it.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class DeviceMarkTests
{
    const byte Memory = Layout.MemoryActor, Smmu = Layout.SmmuActor, Cpu0 = Layout.FirstThread, Cpu1 = Layout.FirstThread + 1;

    static Message Mark(byte reader) => new() { Src = Smmu, Dst = Memory, Kind = MessageKind.DeviceMark, Class = DelayClass.Fixed, B = reader };

    static Message Fence(byte cpu) =>
        new() { Src = cpu, Dst = Memory, Kind = MessageKind.Barrier, Class = DelayClass.Request, A = MemoryComponent.ReadFenceAfterDevice };

    [Fact]
    public void A_mark_in_flight_is_the_only_delivery_the_search_may_take()
    {
        var f = new Fabric(Cpu1 + 1, new SearchStrategy(), [], null, recordTrace: false, recordChoices: false);
        var store = new Message { Src = Cpu1, Dst = Memory, Kind = MessageKind.Store, Class = DelayClass.Posted, Loc = Layout.Lock, A = 1, Order = Ordering.IsStore };
        var answer = new Message { Src = Smmu, Dst = Cpu0, Kind = MessageKind.WaitReply, Class = DelayClass.Reply };
        f.Accept(new Message { Src = Smmu, Dst = Smmu, Kind = MessageKind.Start }, [store, answer, Mark(Cpu0)], [], []);
        var enabled = new List<int>();
        Assert.Equal(1, f.Enabled(enabled));
        Assert.Equal(MessageKind.DeviceMark, f.Peek(enabled[0]).Kind);
        f.Take(enabled[0]);
        Assert.Equal(2, f.Enabled(enabled));
    }

    /// <summary>Only a timed run can have the fence due before the mark; the rule keeps it behind, and only the reader's.</summary>
    [Fact]
    public void The_readers_barrier_waits_for_its_mark_and_nothing_else_does()
    {
        Assert.True(OrderingRules.MustPrecede(Mark(Cpu0), Fence(Cpu0)));
        Assert.False(OrderingRules.MustPrecede(Mark(Cpu0), Fence(Cpu1)));
        Assert.False(OrderingRules.MustPrecede(Mark(Cpu0), new Message { Src = Cpu0, Dst = Memory, Kind = MessageKind.Load, Loc = Layout.Lock }));
        // No rule orders the SMMU's mark behind its own reads or MSI writes in flight.
        Assert.False(OrderingRules.MustPrecede(new Message { Src = Smmu, Dst = Memory, Kind = MessageKind.StoreMsi, Order = Ordering.IsStore, Seq = 1 },
            Mark(Cpu0) with { Seq = 2 }));
    }
}
