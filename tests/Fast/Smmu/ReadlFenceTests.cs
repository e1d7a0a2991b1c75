using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// readl's dma_rmb in the CONS wait (§4.2): __arm_smmu_cmdq_poll_until_consumed's last CONS read is a readl, whose
/// barrier keeps the shared tryunlock's lock read behind it, "so that a failing tryunlock means we're the last one out".
/// Without it, under loads=armv8, a waiter may read a lock value older than another CPU's shared_lock and write llq.cons
/// while that CPU still waits (cons-wait with readl_relaxed: sync-timeout, Armv8DriverTests, a search test).
/// </summary>
[Trait("Suite", "Fast")]
public sealed class ReadlFenceTests
{
    const byte Cpu0 = Layout.FirstThread, Cpu1 = Layout.FirstThread + 1;

    /// <summary>
    /// Each tryunlock's lock read in traced runs of cons-wait, with the thread's request just before it: after a CONS
    /// wait or read, readl's fence comes between, and with readl_relaxed nothing does.
    /// </summary>
    [Theory]
    [InlineData("cons-read=readl", true)]
    [InlineData("cons-read=readl-relaxed", false)]
    public void The_tryunlock_after_a_CONS_wait_reads_the_lock_behind_readls_fence(string read, bool fenced)
    {
        var model = Scenarios.Shipped("cons-wait.json", "no-gate", "loads=armv8", "sync-mode=cons", read);
        int tryunlocks = 0;
        for (ulong seed = 1; seed <= 10; seed++)
        {
            // A thread blocks on each of these, so their deliveries are in its program order.
            var requests = Scenarios.Random(model, seed, trace: true).Trace!.Entries.Select(e => e.Message)
                .Where(m => m.Src >= Layout.FirstThread && m.Kind is MessageKind.Load or MessageKind.Wait or MessageKind.MmioRead or MessageKind.Barrier)
                .GroupBy(m => m.Src);
            foreach (var thread in requests)
            {
                var r = thread.ToList();
                for (int i = 2; i < r.Count; i++)
                {
                    if (r[i].Kind != MessageKind.Load || r[i].Loc != Layout.Lock) continue;
                    tryunlocks++;
                    bool isFence = r[i - 1].Kind == MessageKind.Barrier && r[i - 1].A == MemoryComponent.ReadFenceAfterDevice;
                    Assert.True(fenced == isFence, $"seed {seed}, thread {thread.Key}: the tryunlock's lock read follows a {r[i - 1].Kind} (A = {r[i - 1].A})");
                    var consRead = r[i - (fenced ? 2 : 1)];
                    Assert.True(consRead.Dst == Layout.SmmuActor && consRead.Loc == (int)SmmuRegister.Cons,
                        $"seed {seed}, thread {thread.Key}: the tryunlock follows no CONS read but a {consRead.Kind} of {consRead.Loc}");
                }
            }
        }
        Assert.True(tryunlocks >= 40, $"only {tryunlocks} tryunlocks in 10 runs of four CMD_SYNCs each");
    }

    /// <summary>
    /// What the fence does in memory under loads=armv8: cpu1's shared_lock (lock = 1) lands; cpu0's lock read may still be
    /// satisfied before it and read 0, unless readl's fence orders it after a CONS read the SMMU answered once the lock
    /// write was visible (the SMMU's mark of that moment, then the fence). A lock write that lands after the answer, even
    /// before the fence reaches memory, may still be missed (Arm orders the lock read after the CONS read, not after the
    /// fence's arrival). A full barrier after a marked device read (<c>DeviceReadBarrierTests</c>) does the same, and
    /// without a mark it orders the load after cpu0's own accesses only, not after cpu1's store.
    /// </summary>
    [Theory]
    [InlineData("store load", 2)]
    [InlineData("store mark fence load", 1)]
    [InlineData("mark store fence load", 2)]
    [InlineData("store mark barrier load", 1)]
    [InlineData("mark store barrier load", 2)]
    [InlineData("store barrier load", 2)]
    public void After_a_fence_a_load_reads_no_write_older_than_the_smmus_answer_to_the_device_read_before_it(string steps, int choices)
    {
        var layout = new Layout(shift: 1, iovas: 1, vars: 0, threads: 2);
        var memory = new MemoryComponent(layout, new long[layout.MemoryLocations], armv8Loads: true);
        var o = new Outbox();
        List<Message> Deliver(Message m) => DeliverTo(memory, Layout.MemoryActor, m, o);

        List<Message> answer = [];
        foreach (var step in steps.Split(' '))
            answer = Deliver(step switch
            {
                "store" => new Message { Src = Cpu1, Kind = MessageKind.Store, Loc = Layout.Lock, A = 1, Order = Ordering.IsStore },
                "mark" => new Message { Src = Layout.SmmuActor, Kind = MessageKind.DeviceMark, B = Cpu0 },
                "fence" => new Message { Src = Cpu0, Kind = MessageKind.Barrier, A = MemoryComponent.ReadFenceAfterDevice },
                "barrier" => new Message { Src = Cpu0, Kind = MessageKind.Barrier, Order = Ordering.AfterStores },
                _ => new Message { Src = Cpu0, Kind = MessageKind.Load, Loc = Layout.Lock },
            });
        if (choices == 1)
        {
            var reply = Assert.Single(answer);
            Assert.Equal((MessageKind.LoadReply, 1L), (reply.Kind, reply.A));
        }
        else
        {
            // The older write is offered too: one read choice per readable write.
            Assert.Equal(choices, answer.Count(m => m.Kind == MessageKind.ReadChoice));
        }
    }

    /// <summary>
    /// The SMMU marks the moment it answers a readl, and only a readl: a CONS read answered at once, and a CONS wait parked
    /// until CONS passes and answered then (the mark goes with the answer, not with the request).
    /// </summary>
    [Fact]
    public void The_smmu_marks_its_answer_to_a_readl_when_it_answers_and_only_a_readl()
    {
        var sent = Traced("cons-read=readl");
        var relaxed = Traced("cons-read=readl-relaxed");
        Assert.DoesNotContain(relaxed, e => e.Kind == MessageKind.DeviceMark);
        Assert.DoesNotContain(Traced("cons-read=readl", "loads=in-order"), e => e.Kind == MessageKind.DeviceMark);
        int marks = 0;
        for (int i = 0; i < sent.Count; i++)
        {
            if (sent[i].Kind != MessageKind.DeviceMark) continue;
            marks++;
            // Sent by the SMMU in the step that answered cpu B's CONS read, with the least delay a message has; the answer
            // comes to B later.
            var mark = sent[i];
            Assert.Equal((Layout.SmmuActor, mark.SendTime + 1), (mark.Src, mark.Time));
            Assert.Contains(sent.Skip(i), m => m.Src == Layout.SmmuActor && m.Dst == mark.B && m.SendTime == mark.SendTime
                && m.Kind is MessageKind.LoadReply or MessageKind.WaitReply && m.Loc == (int)SmmuRegister.Cons);
        }
        Assert.True(marks >= 10, $"only {marks} marks in the traced runs");
    }

    /// <summary>
    /// In a timed run a spin that timed out is not withdrawn (only the search withdraws it), so a CMD_SYNC wait on CONS
    /// given up would stay parked and, answered later, tell memory of a readl its thread is past. The thread's next readl
    /// (its final CONS read after the timeout) drops it; another thread's wait stays.
    /// </summary>
    [Fact]
    public void A_readl_wait_given_up_is_dropped_at_its_threads_next_readl_and_marks_nothing_later()
    {
        var model = Scenarios.Shipped("cons-wait.json", "no-gate", "loads=armv8", "sync-mode=cons");
        var smmu = (SmmuComponent)model.CreateComponent(Layout.SmmuActor, untimed: false);
        var o = new Outbox();
        List<Message> Deliver(Message m) => DeliverTo(smmu, Layout.SmmuActor, m, o);
        Message Wait(byte cpu) => new()
        {
            Src = cpu, Kind = MessageKind.Wait, Loc = (int)SmmuRegister.Cons, A = 1, C = 7L << 8 | (byte)WaitPredicate.Consumed, Marked = true,
        };

        Assert.Empty(Deliver(Wait(Cpu0)));
        Assert.Empty(Deliver(Wait(Cpu1)));
        var read = Deliver(new Message { Src = Cpu0, Kind = MessageKind.MmioRead, Loc = (int)SmmuRegister.Cons, C = 8L << 8, Marked = true });
        Assert.Equal([MessageKind.LoadReply, MessageKind.DeviceMark], read.Select(m => m.Kind));
        Assert.Equal(-1, smmu.ParkedAt(Cpu0));
        Assert.Equal((int)SmmuRegister.Cons, smmu.ParkedAt(Cpu1));
        // A relaxed read drops nothing: only a readl's wait is one whose late answer would mark memory.
        Assert.Single(Deliver(new Message { Src = Cpu1, Kind = MessageKind.MmioRead, Loc = (int)SmmuRegister.Cons, C = 9L << 8 }));
        Assert.Equal((int)SmmuRegister.Cons, smmu.ParkedAt(Cpu1));
    }

    /// <summary>What <paramref name="component"/> sends when it takes <paramref name="m"/>.</summary>
    static List<Message> DeliverTo(IComponent component, byte self, Message m, Outbox o)
    {
        o.Begin(self);
        component.Handle(m with { Dst = self }, o);
        var sent = o.Sent.ToArray().ToList();
        o.Messages.Clear();
        o.Events.Clear();
        return sent;
    }

    /// <summary>The deliveries of ten traced random runs of cons-wait under armv8 (or <paramref name="loads"/>), in order.</summary>
    static List<Message> Traced(string read, string loads = "loads=armv8")
    {
        var model = Scenarios.Shipped("cons-wait.json", "no-gate", loads, "sync-mode=cons", read);
        var all = new List<Message>();
        for (ulong seed = 1; seed <= 10; seed++)
            all.AddRange(Scenarios.Random(model, seed, trace: true).Trace!.Entries.Select(e => e.Message));
        return all;
    }
}
