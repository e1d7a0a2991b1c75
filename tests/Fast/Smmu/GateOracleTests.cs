using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// The two oracles that name the STOP gate's own failures, fed the llq accesses memory applies:
/// commit-after-drain (a CAS reserving after the suspend drained and powered off, before resume
/// cleared STOP) and stop-lost (STOP cleared by anything but resume's and-not); and the queue's own, fed the events the
/// SMMU and the threads report: a command fetched for another lap (queue-invariant), abandoned-batch and lost-command.
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

    const uint Wrap = 8; // reviewer-race's queue has 8 entries: WRP is bit 3

    static ModelEvent Event(byte actor, EventKind kind, long a = 0, long b = 0) => new((byte)kind, actor, a, b, 0);

    /// <summary>Each event delivered on its own, then the run's end judged; the kinds reported.</summary>
    static List<ViolationKind> Judge(params ModelEvent[] events)
    {
        var o = (Oracle)Fresh.Clone();
        long step = 0;
        var m = new Message { Src = Layout.MemoryActor, Dst = Layout.SmmuActor, Kind = MessageKind.LoadReply };
        foreach (var e in events) o.Observe(m, [e], ++step, step);
        o.Finish(++step, step, quiescent: false);
        return o.Violations.Select(v => v.Kind).ToList();
    }

    const int Id = 0x101;

    /// <summary>
    /// A command written for 1/w0 and fetched at CONS 1/w1 is a lap old: the SMMU ran a slot whose valid bit belongs to an
    /// earlier pass (PROD and CONS programmed from stale copies at resume, §3.4, §5.5), queue-invariant.
    /// </summary>
    [Fact]
    public void A_command_fetched_a_lap_after_the_position_it_was_written_for_is_a_queue_invariant()
    {
        var kinds = Judge(Event(Cpu0, EventKind.SlotWritten, 1, Id), Event(Layout.SmmuActor, EventKind.Fetched, 1 | Wrap, Id),
            Event(Layout.SmmuActor, EventKind.Executed, 1 | Wrap, Id));
        Assert.Equal([ViolationKind.QueueInvariant], kinds);
        Assert.Empty(Judge(Event(Cpu0, EventKind.SlotWritten, 1, Id), Event(Layout.SmmuActor, EventKind.Fetched, 1, Id),
            Event(Layout.SmmuActor, EventKind.Executed, 1, Id)));
    }

    /// <summary>A slot reserved by the CAS (§2.3 step 1) whose valid bit never came blocks the SMMU at it for ever (§3.3): abandoned-batch.</summary>
    [Fact]
    public void A_committed_slot_never_made_valid_is_an_abandoned_batch()
    {
        Assert.Equal([ViolationKind.AbandonedBatch], Judge(Event(Cpu0, EventKind.Committed, 2, 3)));
        Assert.Empty(Judge(Event(Cpu0, EventKind.Committed, 2, 3), Event(Cpu0, EventKind.SlotWritten, 2, Id), Event(Cpu0, EventKind.ValidSet, 2, 3),
            Event(Layout.SmmuActor, EventKind.Executed, 2, Id)));
    }

    /// <summary>A command published by its valid bit that the SMMU never executed: lost-command (§0.14).</summary>
    [Fact]
    public void A_published_command_never_executed_is_lost()
    {
        Assert.Equal([ViolationKind.LostCommand],
            Judge(Event(Cpu0, EventKind.Committed, 2, 3), Event(Cpu0, EventKind.SlotWritten, 2, Id), Event(Cpu0, EventKind.ValidSet, 2, 3)));
    }

    /// <summary>
    /// Under cons-advance=fetch or any, CONS may pass a command before it takes effect, and a power-off then cancels it:
    /// consuming a TLBI or CFGI means nothing (§4.8), so that command is not lost. Only the command written for the
    /// position CONS passed counts as consumed: CONS passing the same slot a lap later consumed a command never read.
    /// </summary>
    [Theory]
    [InlineData(2u, false)]
    [InlineData(2u | Wrap, true)]
    public void A_published_command_consumed_and_then_cancelled_by_a_power_off_is_lost_only_if_consumed_on_another_lap(uint consumedAt, bool lost)
    {
        var kinds = Judge(Event(Cpu0, EventKind.Committed, 2, 3), Event(Cpu0, EventKind.SlotWritten, 2, Id), Event(Cpu0, EventKind.ValidSet, 2, 3),
            Event(Layout.SmmuActor, EventKind.Consumed, consumedAt), Event(Layout.SmmuActor, EventKind.PowerOff));
        Assert.Equal(lost ? [ViolationKind.LostCommand] : [], kinds);
    }

    /// <summary>
    /// A TLB entry the unmap retired is a stale translation only while SMMUEN=1 (§0.14): with translation off it serves
    /// nothing, and resume's TLBI_NSNH_ALL before SMMUEN=1 (§2.8) drops it, so such a run is clean; were it still cached
    /// at SMMUEN=1, it would be stale then.
    /// </summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_retired_entry_is_stale_only_once_SMMUEN_is_1(bool invalidatedBeforeEnable, bool stale)
    {
        var events = new List<ModelEvent> { Event(Layout.SmmuActor, EventKind.SmmuEnable, 0), Event(Cpu0, EventKind.UnmapReturned, 0, 1 << 20) };
        if (invalidatedBeforeEnable) events.Add(Event(Layout.SmmuActor, EventKind.TlbInvalidate, 0));
        events.Add(Event(Layout.SmmuActor, EventKind.SmmuEnable, 1));
        Assert.Equal(stale, Judge([.. events]).Contains(ViolationKind.StaleTranslation));
    }
}
