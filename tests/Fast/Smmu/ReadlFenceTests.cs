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
    /// What the fence does in memory under loads=armv8: once cpu1's shared_lock (lock = 1) is visible, cpu0's lock read
    /// may still be satisfied before it and read 0, unless readl's fence came between; then it reads 1 only.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void After_readls_fence_a_load_reads_no_write_older_than_the_fence(bool fence)
    {
        var layout = new Layout(shift: 1, iovas: 1, vars: 0, threads: 2);
        var memory = new MemoryComponent(layout, new long[layout.MemoryLocations], armv8Loads: true);
        var o = new Outbox();
        List<Message> Deliver(Message m)
        {
            o.Begin(Layout.MemoryActor);
            memory.Handle(m with { Dst = Layout.MemoryActor }, o);
            var sent = o.Sent.ToArray().ToList();
            o.Messages.Clear();
            o.Events.Clear();
            return sent;
        }

        Deliver(new Message { Src = Cpu1, Kind = MessageKind.Store, Loc = Layout.Lock, A = 1, Order = Ordering.IsStore });
        if (fence) Deliver(new Message { Src = Cpu0, Kind = MessageKind.Barrier, A = MemoryComponent.ReadFenceAfterDevice });
        var answer = Deliver(new Message { Src = Cpu0, Kind = MessageKind.Load, Loc = Layout.Lock });
        if (fence)
        {
            var reply = Assert.Single(answer);
            Assert.Equal((MessageKind.LoadReply, 1L), (reply.Kind, reply.A));
        }
        else
        {
            // The older write is offered too: one read choice per readable write.
            Assert.Equal(2, answer.Count(m => m.Kind == MessageKind.ReadChoice));
        }
    }
}
