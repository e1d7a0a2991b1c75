using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// The SMMU under cons-advance=any, fed one message at a time in the order each test picks: it is as loose as SMMUv3
/// lets it be (§4.1.4: consuming a command means only that its slot was read; §4.7.3: a CMD_SYNC waits for every
/// earlier command, later ones wait for it, and seeing its MSI means its consumption is visible; §6.3.9.3: CMDQEN=0
/// consumes what is in progress, complete or not), and no looser.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class ReadAheadTests
{
    const byte Cpu = Layout.FirstThread;
    static readonly Layout L = new(shift: 3, iovas: 2, vars: 0, threads: 1);

    static long Tlbi(int iova, int id) => CmdqEntry.Encode(CommandOp.TlbiVa, iova, id);
    static long Sync(int id) => CmdqEntry.Encode(CommandOp.Sync, 1, id); // CS=IRQ: its MSI clears its own slot

    /// <summary>An SMMU with its queue enabled; what it sends waits in <see cref="Pending"/> until a test delivers it.</summary>
    sealed class Device
    {
        readonly SmmuComponent _smmu;
        readonly Outbox _o = new();
        readonly long[] _slots;
        public readonly List<Message> Pending = [];
        public readonly List<ModelEvent> Events = [];

        public Device(ConsAdvance consAdvance, params long[] slots) : this(consAdvance, MsiPowerOff.Lands, slots) { }

        public Device(ConsAdvance consAdvance, MsiPowerOff msiPowerOff, params long[] slots)
        {
            _smmu = new(L, consAdvance, [1, 1], msiPowerOff: msiPowerOff);
            _slots = slots;
        }

        void Deliver(Message m)
        {
            _o.Begin(Layout.SmmuActor);
            _smmu.Handle(m, _o);
            Events.AddRange(_o.Events);
            Pending.AddRange(_o.Sent.ToArray());
            _o.Messages.Clear();
            _o.Events.Clear();
        }

        public void Write(SmmuRegister r, long v) =>
            Deliver(new Message { Src = Cpu, Dst = Layout.SmmuActor, Kind = MessageKind.MmioWrite, Loc = (int)r, A = v });

        public long Cons
        {
            get
            {
                Deliver(new Message { Src = Cpu, Dst = Layout.SmmuActor, Kind = MessageKind.MmioRead, Loc = (int)SmmuRegister.Cons });
                var reply = Pending[^1];
                Pending.RemoveAt(Pending.Count - 1);
                return reply.A;
            }
        }

        /// <summary>The SMMU's read of slot <paramref name="slot"/> answered from the test's ring.</summary>
        public void AnswerRead(int slot)
        {
            var read = Take(m => m.Kind == MessageKind.Load && m.Loc == L.SlotBase + slot);
            Deliver(new Message { Src = Layout.MemoryActor, Dst = Layout.SmmuActor, Kind = MessageKind.LoadReply, Loc = read.Loc, A = _slots[slot], C = read.C });
        }

        /// <summary>The execution timer of the command with id <paramref name="id"/> fires.</summary>
        public void Execute(int id) => Deliver(Take(m => m.Kind == MessageKind.Timer && m.Loc == 0 && CmdqEntry.Id(m.A) == id));

        /// <summary>Every CONS step in flight fires, and those they send, until none is left.</summary>
        public void StepConsFully()
        {
            while (Pending.Exists(IsConsStep)) Deliver(Take(IsConsStep));
        }

        static bool IsConsStep(Message m) => m.Kind == MessageKind.Timer && m.Loc == 2;

        /// <summary>Every MSI-issue timer in flight fires (msi-power-off=lost).</summary>
        public void IssueMsis()
        {
            while (Pending.Exists(IsMsiIssue)) Deliver(Take(IsMsiIssue));
        }

        static bool IsMsiIssue(Message m) => m.Kind == MessageKind.Timer && m.Loc == 1;

        public bool Reads(int slot) => Pending.Exists(m => m.Kind == MessageKind.Load && m.Loc == L.SlotBase + slot);
        public bool Scheduled(int id) => Pending.Exists(m => m.Kind == MessageKind.Timer && m.Loc == 0 && CmdqEntry.Id(m.A) == id);
        public bool MsiSent => Pending.Exists(m => m.Kind == MessageKind.StoreMsi);
        public List<Message> Msis => Pending.FindAll(m => m.Kind == MessageKind.StoreMsi);
        public List<long> Invalidated => Events.Where(e => e.Kind() == EventKind.TlbInvalidate).Select(e => e.A).ToList();
        public bool Executed(int id) => Events.Exists(e => e.Kind() == EventKind.Executed && e.B == id);

        Message Take(Predicate<Message> which)
        {
            int i = Pending.FindIndex(which);
            Assert.True(i >= 0, "the SMMU sent no such message");
            var m = Pending[i];
            Pending.RemoveAt(i);
            return m;
        }
    }

    /// <summary>
    /// CONS passes a TLBI as soon as its slot was read, before it took effect, and the next slot is read at once:
    /// consumption promises nothing about a TLBI (§4.8). Under cons-advance=completion the same deliveries leave CONS
    /// behind the TLBI until it took effect, and the next read waits for it.
    /// </summary>
    [Theory]
    [InlineData(ConsAdvance.Any, 1L, true)]
    [InlineData(ConsAdvance.Completion, 0L, false)]
    public void Cons_may_pass_a_TLBI_that_has_not_taken_effect(ConsAdvance consAdvance, long consBeforeEffect, bool readsAhead)
    {
        var d = new Device(consAdvance, Tlbi(0, 1), Sync(2));
        d.Write(SmmuRegister.Prod, 2);
        d.AnswerRead(0);
        d.StepConsFully();
        Assert.Equal(consBeforeEffect, d.Cons);
        Assert.Empty(d.Invalidated);
        Assert.Equal(readsAhead, d.Reads(1));
    }

    /// <summary>
    /// Commands before a CMD_SYNC take effect in any order; the CMD_SYNC completes only after all of them, the next
    /// command is not read before it completes, and CONS passes it in the step that sends its MSI, never after (§4.7.3).
    /// </summary>
    [Fact]
    public void A_CMD_SYNC_waits_for_every_earlier_command_in_any_order_and_holds_back_later_ones()
    {
        var d = new Device(ConsAdvance.Any, Tlbi(0, 1), Tlbi(1, 2), Sync(3), Tlbi(0, 4));
        d.Write(SmmuRegister.Prod, 4);
        d.AnswerRead(0);
        d.AnswerRead(1);
        d.AnswerRead(2);
        d.StepConsFully();
        Assert.Equal(2L, d.Cons);               // both TLBIs consumed, neither has taken effect
        Assert.False(d.Scheduled(3));            // the CMD_SYNC waits for them
        Assert.False(d.Reads(3));                // and the command after it is not read
        d.Execute(2);                            // the later TLBI first
        Assert.Equal([1L], d.Invalidated);
        Assert.False(d.Scheduled(3));
        d.Execute(1);
        Assert.Equal([1L, 0L], d.Invalidated);
        d.Execute(3);
        Assert.True(d.Executed(3));
        Assert.True(d.MsiSent);
        Assert.Equal(3L, d.Cons);
        Assert.True(d.Reads(3));
    }

    /// <summary>
    /// CMDQEN 1 -> 0 consumes every command read, complete or not, and names the first one not processed: a CMD_SYNC
    /// still waiting for earlier commands has not begun, so CONS stops at it, and its completion timer does nothing.
    /// A consumed TLBI may still take effect afterwards; a power-off ends that.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CMDQEN_0_consumes_what_was_read_but_not_a_waiting_CMD_SYNC(bool powerOff)
    {
        var d = new Device(ConsAdvance.Any, Tlbi(0, 1), Sync(2));
        d.Write(SmmuRegister.Prod, 2);
        d.AnswerRead(0);
        d.AnswerRead(1);
        d.Write(SmmuRegister.Cr0, Cr0.SmmuEn);   // CMDQEN=0, before any CONS step
        Assert.Equal(1L, d.Cons);
        if (powerOff) d.Write(SmmuRegister.Power, 0);
        d.Execute(1);
        Assert.Equal(powerOff ? 0 : 1, d.Invalidated.Count);
        Assert.False(d.Scheduled(2));
        Assert.False(d.Executed(2));
        d.StepConsFully();
        if (!powerOff) Assert.Equal(1L, d.Cons);
    }

    /// <summary>
    /// The CMD_SYNC's completion timer is already on its way (the TLBI before it took effect) when CMDQEN goes to 0: the
    /// CMD_SYNC had not begun, so the timer does nothing, and CONS stays at it with no MSI sent.
    /// </summary>
    [Fact]
    public void A_completion_timer_of_a_CMD_SYNC_that_CMDQEN_0_stopped_does_nothing()
    {
        var d = new Device(ConsAdvance.Any, Tlbi(0, 1), Sync(2));
        d.Write(SmmuRegister.Prod, 2);
        d.AnswerRead(0);
        d.AnswerRead(1);
        d.Execute(1);
        Assert.True(d.Scheduled(2));
        d.Write(SmmuRegister.Cr0, Cr0.SmmuEn);
        d.Execute(2);
        Assert.False(d.Executed(2));
        Assert.False(d.MsiSent);
        Assert.Equal(1L, d.Cons);
    }

    /// <summary>
    /// "CMD_SYNCs complete in order. The MSI writes of any prior CMD_SYNC are [...] visible" once a later one completes
    /// (§4.7.3): each MSI is ordered after the SMMU's earlier ones, and under msi-power-off=lost an MSI still waiting to
    /// leave the SMMU leaves when the next CMD_SYNC completes, so a power-off after that cannot lose it. Before, an
    /// earlier MSI could land after a later CMD_SYNC completed, over a slot already reused, or be lost after it.
    /// </summary>
    /// <remarks>
    /// Under lost, the MSI-issue timers then find nothing more to send for the first CMD_SYNC, one MSI per slot; a power-off
    /// before they fire loses the second's MSI only.
    /// </remarks>
    [Theory]
    [InlineData(ConsAdvance.Completion, MsiPowerOff.Lands, false)]
    [InlineData(ConsAdvance.Completion, MsiPowerOff.Lost, false)]
    [InlineData(ConsAdvance.Completion, MsiPowerOff.Lost, true)]
    [InlineData(ConsAdvance.Any, MsiPowerOff.Lands, false)]
    [InlineData(ConsAdvance.Any, MsiPowerOff.Lost, false)]
    [InlineData(ConsAdvance.Any, MsiPowerOff.Lost, true)]
    public void MSIs_land_in_the_order_their_CMD_SYNCs_completed(ConsAdvance consAdvance, MsiPowerOff msiPowerOff, bool powerOff)
    {
        var d = new Device(consAdvance, msiPowerOff, Sync(1), Sync(2));
        d.Write(SmmuRegister.Prod, 2);
        d.AnswerRead(0);
        d.Execute(1);
        d.AnswerRead(1);
        d.Execute(2);
        var msis = d.Msis;
        Assert.Equal(L.Slot(0), msis[0].Loc); // the first CMD_SYNC's MSI has left, and before the second's
        Assert.All(msis, m => Assert.True((m.Order & Ordering.AfterStores) != 0, "an MSI may overtake an earlier one"));
        if (powerOff) d.Write(SmmuRegister.Power, 0);
        d.IssueMsis();
        Assert.Equal(powerOff ? [L.Slot(0)] : new[] { L.Slot(0), L.Slot(1) }, d.Msis.Select(m => m.Loc));
    }
}
