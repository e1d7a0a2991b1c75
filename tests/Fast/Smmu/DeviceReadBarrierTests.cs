using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// A full barrier after a device read (aarch64.cat: <c>[M]; po; [dmb.full]; po; [M]</c>, the device read being an M) orders
/// the thread's later loads after the moment the SMMU answered that read. Where nothing but device writes and idle ops
/// come between the read and the barrier, the SMMU marks that moment in memory's order, as it does for readl
/// (<see cref="Message.Marked"/>): a callback's last CR0ACK read before the next runtime-PM callback's barrier
/// (pm-core-order=lock). Before 2026-12-07 the barrier raised the floor to the thread's own newest write and latest load
/// only, so a later load could read a write older than one memory held when the SMMU answered: weaker than Arm.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class DeviceReadBarrierTests
{
    const byte Cpu0 = Layout.FirstThread, Cpu1 = Layout.FirstThread + 1;

    /// <summary>
    /// In memory under loads=armv8: cpu1's store of the lock lands; cpu0's load after a full barrier reads only it when
    /// the SMMU answered cpu0's device read after the store landed (its mark), and may still read the older write when the
    /// answer came first or was never marked (the barrier orders the load after cpu0's own accesses, not after the store).
    /// </summary>
    [Theory]
    [InlineData("store mark barrier load", 1)]
    [InlineData("mark store barrier load", 2)]
    [InlineData("store barrier load", 2)]
    public void After_a_full_barrier_a_load_reads_no_write_older_than_the_smmus_answer_to_the_read_before_it(string steps, int choices)
    {
        var layout = new Layout(shift: 1, iovas: 1, vars: 0, threads: 2);
        var memory = new MemoryComponent(layout, new long[layout.MemoryLocations], armv8Loads: true);
        var o = new Outbox();
        List<Message> answer = [];
        foreach (var step in steps.Split(' '))
        {
            var m = step switch
            {
                "store" => new Message { Src = Cpu1, Kind = MessageKind.Store, Loc = Layout.Lock, A = 1, Order = Ordering.IsStore },
                "mark" => new Message { Src = Layout.SmmuActor, Kind = MessageKind.DeviceMark, B = Cpu0 },
                "barrier" => new Message { Src = Cpu0, Kind = MessageKind.Barrier, Order = Ordering.AfterStores },
                _ => new Message { Src = Cpu0, Kind = MessageKind.Load, Loc = Layout.Lock },
            };
            o.Begin(Layout.MemoryActor);
            memory.Handle(m with { Dst = Layout.MemoryActor }, o);
            answer = o.Sent.ToArray().ToList();
            o.Messages.Clear();
            o.Events.Clear();
        }
        if (choices == 1)
        {
            var reply = Assert.Single(answer);
            Assert.Equal((MessageKind.LoadReply, 1L), (reply.Kind, reply.A));
        }
        else Assert.Equal(choices, answer.Count(m => m.Kind == MessageKind.ReadChoice));
    }

    /// <summary>
    /// Which of the power manager's device reads the SMMU marks, in traced random runs under loads=armv8: the suspend's
    /// last CR0ACK read (CMDQEN=0 acknowledged; the power-off, a device write, and the idle op come before the resume's
    /// barrier) in every run; the resume's last one only when a callback follows it (pm-cycles' first resume), never
    /// reviewer-race's, the program's end. With pm-core-order=none no barrier follows a CR0ACK read, and under in-order
    /// loads nothing is marked. No other read is marked here (the CMD_SYNC wait's readl is ReadlFenceTests').
    /// </summary>
    [Theory]
    [InlineData("reviewer-race.json", "0", "loads=armv8")]
    [InlineData("reviewer-race.json", "0", "loads=armv8", "quiesce-order=smp-mb")]
    [InlineData("pm-cycles.json", "0 3 0", "loads=armv8")]
    [InlineData("reviewer-race.json", "", "loads=armv8", "pm-core-order=none")]
    [InlineData("pm-cycles.json", "", "loads=in-order")]
    public void The_smmu_marks_the_power_managers_cr0ack_reads_a_full_barrier_follows(string workload, string cr0acks, params string[] set)
    {
        var model = Scenarios.Shipped(workload, "recheck-mb", set);
        byte pm = (byte)(Layout.FirstThread + model.Workload.Threads.ToList().FindIndex(t => t.Name == "pm"));
        for (ulong seed = 1; seed <= 10; seed++)
        {
            var sent = Scenarios.Random(model, seed, trace: true).Trace!.Entries.Select(e => e.Message).ToList();
            var answered = sent.Where(m => m.Kind == MessageKind.DeviceMark).OrderBy(m => m.SendTime)
                .Select(mark =>
                {
                    Assert.Equal((Layout.SmmuActor, pm), (mark.Src, (byte)mark.B));
                    // The SMMU's answer to the power manager in the step that sent the mark (the same send time).
                    return Assert.Single(sent, m => m.Src == Layout.SmmuActor && m.Dst == pm && m.SendTime == mark.SendTime
                        && m.Kind is MessageKind.WaitReply or MessageKind.LoadReply);
                }).ToList();
            Assert.All(answered, m => Assert.Equal((int)SmmuRegister.Cr0Ack, m.Loc));
            // The CR0 values the marked reads acknowledged (3: CMDQEN and SMMUEN, the resume's last).
            Assert.Equal(cr0acks, string.Join(" ", answered.Select(m => m.A)));
        }
    }

    /// <summary>
    /// A workload's own smp_mb or dma_mb after a callback is such a barrier too, idle ops between or not, where no
    /// runtime-PM core orders the callbacks (pm-core-order=none): the suspend's last CR0ACK read is marked, and the
    /// resume's, with nothing after it, is not; a map op between (a store, then nothing that fences) leaves it unmarked.
    /// </summary>
    [Theory]
    [InlineData("""{ "op": "smp_mb" }""", "0")]
    [InlineData("""{ "op": "idle", "ticks": 5 }, { "op": "dma_mb" }""", "0")]
    [InlineData("""{ "op": "map", "iova": "A" }, { "op": "smp_mb" }""", "")]
    public void A_workloads_full_barrier_after_a_callback_orders_loads_after_its_last_cr0ack_read(string between, string cr0acks)
    {
        var model = Scenarios.Inline($$"""
            { "name": "pm-barrier", "queueShift": 3, "iovas": [ { "name": "A" } ],
              "threads": [ { "name": "pm", "program": [ { "op": "suspend" }, {{between}}, { "op": "resume" } ] } ] }
            """, "recheck-mb", "loads=armv8", "pm-core-order=none");
        var sent = Scenarios.Random(model, 1, trace: true).Trace!.Entries.Select(e => e.Message).ToList();
        var acknowledged = sent.Where(m => m.Kind == MessageKind.DeviceMark)
            .Select(mark => Assert.Single(sent, m => m.Src == Layout.SmmuActor && m.SendTime == mark.SendTime && m.Kind == MessageKind.WaitReply))
            .Select(m => (m.Loc, m.A));
        Assert.Equal(cr0acks, string.Join(" ", acknowledged.Select(r => { Assert.Equal((int)SmmuRegister.Cr0Ack, r.Loc); return r.A; })));
    }
}
