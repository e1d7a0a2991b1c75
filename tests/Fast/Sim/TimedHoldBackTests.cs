using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Sim;

/// <summary>
/// Timed runs place a message behind what it must follow when it is sent (OrderingRules.Place), but a rule can also
/// hold back a message already in flight: the write of a split RMW (rmw-write=split) is sent when memory takes the RMW,
/// and until it lands no other write may reach its word (WrittenFirst, Arm's atomicity). The timed fabric must then
/// deliver that write first, even when the other write's time comes earlier, and the clock must not run back.
/// Before this was kept, random runs under rmw-write=split broke atomicity and reported violations (six kinds on
/// recheck-mb) that no execution the search explores has.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class TimedHoldBackTests
{
    /// <summary>Gives each message the next delay of its list, in send order.</summary>
    sealed class Delays(params long[] delays) : IStrategy
    {
        int _next;
        public long Delay(in Message m, DelayClass cls) => delays[_next++];
        public int Tie(int count) => 0;
        public long Start(int thread, IReadOnlyList<long> menu) => menu[0];
        public void Hash(ref StateHasher h) { }
    }

    const byte Cpu0 = Layout.FirstThread, Cpu1 = Layout.FirstThread + 1;

    /// <summary>cpu1's store to <paramref name="storeLoc"/> sent first, due at 5; cpu0's split RMW's write to llq sent after it, due at 40.</summary>
    static Fabric StoreThenSplitWrite(int storeLoc)
    {
        var f = new Fabric(Layout.FirstThread + 2, new Delays(5, 40), [], null, recordTrace: false, recordChoices: false);
        var store = new Message { Src = Cpu1, Dst = Layout.MemoryActor, Kind = MessageKind.Store, Class = DelayClass.Posted, Order = Ordering.IsStore, Loc = storeLoc, A = 7 };
        var rmwWrite = new Message { Src = Cpu0, Dst = Layout.MemoryActor, Kind = MessageKind.RmwWrite, Class = DelayClass.Posted, Order = Ordering.IsStore, Loc = Layout.Llq, A = 9 };
        f.Accept(new Message { Src = Cpu1, Dst = Cpu1, Kind = MessageKind.Start }, [store], [], []);
        f.Accept(new Message { Src = Layout.MemoryActor, Dst = Layout.MemoryActor, Kind = MessageKind.Load }, [rmwWrite], [], []);
        Assert.Equal(storeLoc == Layout.Llq, OrderingRules.MustPrecede(rmwWrite, store));
        return f;
    }

    /// <summary>
    /// To llq the store must wait for the split RMW's write (atomicity), delivered at 40, and then goes at 40, not back at
    /// 5; to the lock no rule holds it, and each goes at its own time.
    /// </summary>
    [Theory]
    [InlineData(Layout.Llq, MessageKind.RmwWrite, 40, MessageKind.Store, 40)]
    [InlineData(Layout.Lock, MessageKind.Store, 5, MessageKind.RmwWrite, 40)]
    public void A_write_in_flight_waits_only_for_a_split_rmws_write_to_its_word(int storeLoc, MessageKind first, long firstAt,
        MessageKind second, long secondAt)
    {
        var f = StoreThenSplitWrite(storeLoc);
        var delivered = new List<(MessageKind, long)>();
        while (f.Next(out var m)) delivered.Add((m.Kind, f.Now));
        Assert.Equal([(first, firstAt), (second, secondAt)], delivered);
    }
}
