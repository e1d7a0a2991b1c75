using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// The two oracles that name the STOP gate's own failures, fed the llq accesses memory applies:
/// commit-after-drain (a CAS reserving after the suspend drained and powered off, before resume
/// cleared STOP) and stop-lost (STOP cleared by anything but resume's and-not).
/// </summary>
[Trait("Suite", "Fast")]
public sealed class GateOracleTests
{
    static readonly Oracle Fresh = Scenarios.Shipped("reviewer-race.json").CreateOracle(judgeTimeouts: false);

    const byte Cpu0 = Layout.FirstThread, Pm = Layout.FirstThread + 1;

    static Message Llq(byte src, MessageKind kind, long a, long b = 0) =>
        new() { Src = src, Dst = Layout.MemoryActor, Kind = kind, Loc = Layout.Llq, A = a, B = b };

    static IReadOnlyList<Violation> Feed(params (Message M, ModelEvent[] Events)[] steps)
    {
        var o = (Oracle)Fresh.Clone();
        long step = 0;
        foreach (var (m, events) in steps) o.Observe(m, events.ToList(), ++step, step);
        return o.Violations;
    }

    static (Message, ModelEvent[]) Access(Message m) => (m, []);

    static (Message, ModelEvent[]) DrainFinished() =>
        (new Message { Src = Pm, Dst = Pm, Kind = MessageKind.WaitReply }, [new ModelEvent((byte)EventKind.Branch, Pm, (long)ProtocolBranch.DrainFinished)]);

    [Fact]
    public void AReservationAfterTheDrainIsCommitAfterDrain()
    {
        var v = Feed(
            Access(Llq(Pm, MessageKind.FetchOr, ProdWord.Stop)),
            DrainFinished(),
            Access(Llq(Cpu0, MessageKind.Cas, ProdWord.Stop, ProdWord.Stop | 2)));
        Assert.Equal(ViolationKind.CommitAfterDrain, Assert.Single(v).Kind);
    }

    [Fact]
    public void AReservationAfterResumeClearedStopIsFine()
    {
        Assert.Empty(Feed(
            Access(Llq(Pm, MessageKind.FetchOr, ProdWord.Stop)),
            DrainFinished(),
            Access(Llq(Pm, MessageKind.AndNot, ProdWord.Stop)),
            Access(Llq(Cpu0, MessageKind.Cas, 0, 2))));
    }

    [Fact]
    public void AFailedCasReservesNothing()
    {
        Assert.Empty(Feed(
            Access(Llq(Pm, MessageKind.FetchOr, ProdWord.Stop)),
            DrainFinished(),
            Access(Llq(Cpu0, MessageKind.Cas, 0, 2))));
    }

    static ModelEvent Memory(EventKind kind, long a = 0, long b = 0, long c = 0) => new((byte)kind, Layout.MemoryActor, a, b, c);

    static (Message, ModelEvent[]) ReadChoice(params ModelEvent[] events) =>
        (new Message { Src = Layout.MemoryActor, Dst = Layout.MemoryActor, Kind = MessageKind.ReadChoice, Loc = Layout.Llq, B = Cpu0 }, events);

    /// <summary>
    /// Under armv8 a CAS that may read an older write is performed at its read choice, if at all: one deferred after the
    /// drain that then reads an older write fails and reserves nothing; performed there, it commits after the drain.
    /// </summary>
    [Fact]
    public void ACasDeferredToItsReadChoiceCommitsOnlyWhenPerformedThere()
    {
        var cas = (Llq(Cpu0, MessageKind.Cas, ProdWord.Stop, ProdWord.Stop | 2), new[] { Memory(EventKind.LlqCasDeferred, Cpu0) });
        var drained = new[] { Access(Llq(Pm, MessageKind.FetchOr, ProdWord.Stop)), DrainFinished(), cas };
        Assert.Empty(Feed([.. drained, ReadChoice()]));
        var v = Feed([.. drained, ReadChoice(Memory(EventKind.LlqCasPerformed, ProdWord.Stop, ProdWord.Stop | 2, Cpu0))]);
        Assert.Equal(ViolationKind.CommitAfterDrain, Assert.Single(v).Kind);
    }

    [Fact]
    public void StopClearedByAnIncrementThatDropsItIsStopLost()
    {
        var v = Feed(
            Access(Llq(Pm, MessageKind.FetchOr, ProdWord.Stop)),
            Access(Llq(Cpu0, MessageKind.Cas, ProdWord.Stop, 2)));
        Assert.Equal(ViolationKind.StopLost, Assert.Single(v).Kind);
    }

    [Fact]
    public void ResumeClearingStopIsNotStopLost()
    {
        Assert.Empty(Feed(
            Access(Llq(Pm, MessageKind.FetchOr, ProdWord.Stop)),
            Access(Llq(Pm, MessageKind.AndNot, ProdWord.Stop))));
    }
}
