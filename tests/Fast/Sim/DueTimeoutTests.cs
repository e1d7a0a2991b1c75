using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Sim;

/// <summary>
/// Untimed, a timeout fires only when nothing else can happen; the others pending then are due as well and may fire at
/// any later step (<see cref="DelayClass.Expired"/>). A thread that times out withdraws its spin, and an answer the holder
/// already sent goes with it, or the thread would take it for the answer to its next block.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class DueTimeoutTests
{
    const byte Memory = Layout.MemoryActor, Cpu0 = Layout.FirstThread, Cpu1 = Layout.FirstThread + 1;

    static Fabric Untimed() => new(Cpu1 + 1, new SearchStrategy(), [], null, recordTrace: false, recordChoices: false);

    static Message Timer(byte cpu) => new() { Src = cpu, Dst = cpu, Kind = MessageKind.Timer, Class = DelayClass.Timeout };

    static List<Message> Enabled(Fabric f)
    {
        var enabled = new List<int>();
        f.Enabled(enabled);
        return enabled.Select(f.Peek).ToList();
    }

    [Fact]
    public void Once_a_timeout_fires_the_others_may_fire_beside_what_it_freed()
    {
        var f = Untimed();
        f.Accept(Timer(Cpu0), [Timer(Cpu0), Timer(Cpu1)], [], []);
        Assert.All(Enabled(f), m => Assert.Equal(DelayClass.Timeout, m.Class));

        var fired = f.Take(0);   // the first message sent: cpu0's timer
        var load = new Message { Src = fired.Dst, Dst = Memory, Kind = MessageKind.Load, Class = DelayClass.Request };
        f.Accept(fired, [load], [], []);
        var enabled = Enabled(f);
        Assert.Equal(2, enabled.Count);
        Assert.Contains(enabled, m => m.Kind == MessageKind.Load);
        Assert.Contains(enabled, m => m.Kind == MessageKind.Timer && m.Class == DelayClass.Expired && m.Dst != fired.Dst);
    }

    [Fact]
    public void A_timeout_not_yet_due_waits_until_nothing_else_can_happen()
    {
        var f = Untimed();
        var load = new Message { Src = Cpu0, Dst = Memory, Kind = MessageKind.Load, Class = DelayClass.Request };
        f.Accept(Timer(Cpu0), [Timer(Cpu1), load], [], []);
        var enabled = new List<int>();
        f.Enabled(enabled);
        Assert.Equal([MessageKind.Load], enabled.Select(i => f.Peek(i).Kind));
        f.Accept(f.Take(enabled[0]), [], [], []);
        Assert.Equal([DelayClass.Timeout], Enabled(f).Select(m => m.Class));
    }

    [Fact]
    public void A_withdrawn_spins_answer_on_its_way_is_dropped()
    {
        var f = Untimed();
        var answer = new Message { Src = Memory, Dst = Cpu0, Kind = MessageKind.WaitReply, Class = DelayClass.Reply };
        var other = new Message { Src = Memory, Dst = Cpu1, Kind = MessageKind.WaitReply, Class = DelayClass.Reply };
        f.Accept(new Message { Dst = Memory }, [answer, other], [], []);
        f.Accept(Timer(Cpu0) with { Class = DelayClass.Expired }, [], [], [new Control(ControlKind.Withdraw, 0, Memory)]);
        Assert.Equal([Cpu1], Enabled(f).Select(m => m.Dst));
    }
}
