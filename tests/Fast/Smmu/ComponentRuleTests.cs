using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// Memory and the SMMU fed one message at a time, each rule one delivery where the scenarios reach it only through long
/// interleavings: owner_prod may only move forward (queue-invariant) and the lock stays a 32-bit atomic_t; which walks may
/// fill the SMMU's TLB, and what its CONS register takes.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class ComponentRuleTests
{
    const byte Cpu = Layout.FirstThread;
    static readonly Layout L = new(shift: 3, iovas: 1, vars: 0, threads: 1);

    /// <summary>Memory with every word 0, under in-order loads, after <paramref name="accesses"/>; and the events they reported.</summary>
    static (MemoryComponent Memory, List<ModelEvent> Events) Apply(params (MessageKind Kind, int Loc, long A, long B)[] accesses)
    {
        var memory = new MemoryComponent(L, new long[L.MemoryLocations], armv8Loads: false);
        var events = new List<ModelEvent>();
        var o = new Outbox();
        foreach (var (kind, loc, a, b) in accesses)
        {
            o.Begin(Layout.MemoryActor);
            memory.Handle(new Message { Src = Cpu, Dst = Layout.MemoryActor, Kind = kind, Loc = loc, A = a, B = b, Order = Ordering.IsStore }, o);
            events.AddRange(o.Events);
            o.Events.Clear();
        }
        return (memory, events);
    }

    static bool Backwards(List<ModelEvent> events) => events.Exists(e => e.Kind() == EventKind.OwnerProdBackwards);

    /// <summary>
    /// Only the owner stores owner_prod, with the end of its batch, after the previous owner published its start (§2.3
    /// step 4e): a store of an older position is a hand-off gone wrong, reported; one a full lap ahead (an eight-command
    /// batch on the eight-entry queue) is not.
    /// </summary>
    [Theory]
    [InlineData(5, 3, true)]
    [InlineData(5, 5 + 8, false)]
    [InlineData(5, 6, false)]
    [InlineData(6, 9, false)]   // 6/w0 -> 1/w1: forward across the wrap
    public void Owner_prod_moving_backwards_is_reported(long from, long to, bool backwards)
    {
        var (_, events) = Apply((MessageKind.Store, Layout.OwnerProd, from, 0), (MessageKind.Store, Layout.OwnerProd, to, 0));
        Assert.Equal(backwards, Backwards(events));
    }

    /// <summary>
    /// poll_until_not_full's exclusive lock: cmpxchg(lock, 0, INT_MIN), then atomic_fetch_andnot_release(INT_MIN, lock) on
    /// an atomic_t (§2.6): the unlock leaves 0, so the next sharer's fetch_inc reads 0 (not negative: no exclusive holder).
    /// </summary>
    [Fact]
    public void The_exclusive_unlock_leaves_the_lock_0_as_a_32_bit_atomic_t()
    {
        var (memory, _) = Apply(
            (MessageKind.Cas, Layout.Lock, 0, int.MinValue),
            (MessageKind.AndNot, Layout.Lock, unchecked((uint)int.MinValue), 0));
        Assert.Equal(0L, memory.Read(Layout.Lock));
    }

    sealed class Device
    {
        readonly SmmuComponent _smmu;

        public Device(OffReads offReads = OffReads.Kept) => _smmu = new(L, ConsAdvance.Completion, [0], offReads);
        readonly Outbox _o = new();
        public readonly List<ModelEvent> Events = [];

        /// <summary>Delivers <paramref name="m"/>; returns what the SMMU sent.</summary>
        public List<Message> Deliver(Message m)
        {
            _o.Begin(Layout.SmmuActor);
            _smmu.Handle(m, _o);
            Events.AddRange(_o.Events);
            var sent = _o.Sent.ToArray().ToList();
            _o.Messages.Clear();
            _o.Events.Clear();
            return sent;
        }

        public long ReadRegister(SmmuRegister r) =>
            Assert.Single(Deliver(new Message { Src = Cpu, Dst = Layout.SmmuActor, Kind = MessageKind.MmioRead, Loc = (int)r })).A;

        public void WriteRegister(SmmuRegister r, long v) =>
            Deliver(new Message { Src = Cpu, Dst = Layout.SmmuActor, Kind = MessageKind.MmioWrite, Loc = (int)r, A = v });

        /// <summary>The walk the SMMU sends when told a valid PTE of IOVA 0 was written.</summary>
        public Message Walk() =>
            Assert.Single(Deliver(new Message { Src = Layout.MemoryActor, Dst = Layout.SmmuActor, Kind = MessageKind.PteWritten, Loc = L.PteBase }),
                m => m.Kind == MessageKind.Load && m.Loc == L.PteBase);

        /// <summary>Memory's answer to <paramref name="walk"/>: a valid PTE of generation <paramref name="gen"/>.</summary>
        public void Lands(in Message walk, long gen) =>
            Deliver(new Message { Src = Layout.MemoryActor, Dst = Layout.SmmuActor, Kind = MessageKind.LoadReply, Loc = walk.Loc, A = Pte.Valid(gen), C = walk.C });

        public bool Filled => Events.Exists(e => e.Kind() == EventKind.TlbFill);
    }

    /// <summary>
    /// CONS after a power cycle, before resume's reset writes it: UNKNOWN (SMMUv3 §6.3.28). off-reads=kept models the old
    /// value; zero models 0, while powered off and from power-on alike (it read 0 off and the old value again once on).
    /// </summary>
    [Theory]
    [InlineData(OffReads.Kept, 5L, 5L)]
    [InlineData(OffReads.Zero, 0L, 0L)]
    public void Cons_after_a_power_cycle_is_what_off_reads_says(OffReads offReads, long off, long on)
    {
        var d = new Device(offReads);
        d.WriteRegister(SmmuRegister.Cr0, 0);
        d.WriteRegister(SmmuRegister.Cons, 5);
        d.WriteRegister(SmmuRegister.Power, 0);
        Assert.Equal(off, d.ReadRegister(SmmuRegister.Cons));
        d.WriteRegister(SmmuRegister.Power, 1);
        Assert.Equal(on, d.ReadRegister(SmmuRegister.Cons));
    }

    [Fact]
    public void A_walk_that_lands_while_SMMUEN_is_1_fills_the_TLB()
    {
        var d = new Device();
        d.Lands(d.Walk(), 1);
        Assert.True(d.Filled);
    }

    /// <summary>
    /// A walk in flight lands after <paramref name="between"/> and fills nothing. SMMUEN=0 (suspend's CR0 write, §3.2 (a))
    /// disables translation, so a walk landing then caches nothing (§0.8). Power-down loses everything in flight (§2.9,
    /// §5.7): a walk sent before it fills nothing even once power and SMMUEN are back, as the PTE it read may have changed
    /// meanwhile, unseen.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_walk_that_lands_after_SMMUEN_was_cleared_or_power_was_lost_fills_nothing(bool powerCycle)
    {
        var d = new Device();
        var walk = d.Walk();
        if (powerCycle)
        {
            d.WriteRegister(SmmuRegister.Power, 0);
            d.WriteRegister(SmmuRegister.Power, 1);
            d.WriteRegister(SmmuRegister.Cr0, Cr0.CmdqEn | Cr0.SmmuEn);
            d.Events.Clear();
        }
        else d.WriteRegister(SmmuRegister.Cr0, Cr0.CmdqEn);
        d.Lands(walk, 1);
        Assert.False(d.Filled);
    }

    /// <summary>
    /// A TLBI drops the entry and cancels the walks in flight for its IOVA, so that the CMD_SYNC after it proves no walk
    /// that read the old PTE can still fill (§0.8); the SMMU walks again at once, and only that walk may fill.
    /// </summary>
    [Fact]
    public void A_walk_overtaken_by_a_TLBI_of_its_IOVA_fills_nothing_and_the_walk_after_it_does()
    {
        var d = new Device();
        var walk = d.Walk();
        var sent = d.Deliver(new Message { Src = Layout.SmmuActor, Dst = Layout.SmmuActor, Kind = MessageKind.Timer,
            A = CmdqEntry.Encode(CommandOp.TlbiVa, 0, 1), C = 1 });
        var again = Assert.Single(sent, m => m.Kind == MessageKind.Load && m.Loc == L.PteBase);
        d.Lands(walk, 1);
        Assert.False(d.Filled);
        d.Lands(again, 2);
        Assert.True(d.Filled);
    }

    /// <summary>
    /// The CONS register's only flag is ERR (bits 30:24, arm-smmu-v3.h CMDQ_CONS_ERR); OWNED (bit 31) is llq.prod's and
    /// must never reach hardware CONS (§3.4): a write carrying it is a queue-invariant event, an ERR value is not.
    /// </summary>
    [Theory]
    [InlineData(ProdWord.Owned | 3, true)]
    [InlineData(0x01000003L, false)]
    [InlineData(3L, false)]
    public void A_CONS_write_carrying_OWNED_is_flagged(long value, bool flagged)
    {
        var d = new Device();
        d.WriteRegister(SmmuRegister.Cons, value);
        Assert.Equal(flagged, d.Events.Exists(e => e.Kind() == EventKind.FlagBitsInRegister));
    }
}
