using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;
using SmmuActors.Model.Exploration;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// A full barrier after a device read (aarch64.cat: <c>[M]; po; [dmb.full]; po; [M]</c>, the device read being an M) orders
/// the thread's later loads after the moment the SMMU answered that read. Where nothing but device writes and idle ops
/// come between the read and the barrier, the SMMU marks that moment in memory's order, as it does for readl
/// (<see cref="Message.Marked"/>): a callback's last CR0ACK read before the next runtime-PM callback's barrier
/// (pm-core-order=lock). Before 2026-12-07 the barrier raised the floor to the thread's own newest write and latest load
/// only, so a later load could read a write older than one memory held when the SMMU answered: weaker than Arm. What a
/// mark then a barrier do in memory is <c>ReadlFenceTests</c>' rule test, with readl's fence.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class DeviceReadBarrierTests
{
    /// <summary>
    /// Which of the power manager's device reads the SMMU marks, in traced random runs under loads=armv8: the suspend's
    /// last CR0ACK read (CMDQEN=0 acknowledged; the power-off, a device write, and the idle op come before the resume's
    /// barrier) in every run; the resume's last one only when a callback follows it (pm-cycles' first resume), never
    /// reviewer-race's, the program's end; the drain's CONS poll when an smp_mb orders the quiesce after it
    /// (quiesce-order=smp-mb); SMMUEN=0 acknowledged (2) when a fully ordered STOP set comes next (ordered-stop-set=on,
    /// disabled first); the resume's CMDQEN acknowledged (2) when no invalidation comes before its barrier. With pm-core-order=none no barrier follows a CR0ACK read, and under in-order loads nothing
    /// is marked. No other read is marked here (the CMD_SYNC wait's readl is ReadlFenceTests').
    /// </summary>
    [Theory]
    [InlineData("reviewer-race.json", "0", false, "loads=armv8")]
    [InlineData("reviewer-race.json", "0", true, "loads=armv8", "quiesce-order=smp-mb")]
    [InlineData("pm-cycles.json", "0 3 0", false, "loads=armv8")]
    [InlineData("reviewer-race.json", "", false, "loads=armv8", "pm-core-order=none")]
    [InlineData("reviewer-race.json", "", true, "loads=armv8", "pm-core-order=none", "quiesce-order=smp-mb")]
    [InlineData("pm-cycles.json", "", false, "loads=in-order", "quiesce-order=smp-mb")]
    [InlineData("reviewer-race.json", "2 0", false, "loads=armv8", "ordered-stop-set=on")]
    [InlineData("reviewer-race.json", "0", false, "loads=armv8", "ordered-stop-set=on", "suspend-order=stop-then-disable")]
    [InlineData("reviewer-race.json", "0 2", false, "loads=armv8", "reset-invalidate=off")]
    [InlineData("reviewer-race.json", "0", false, "loads=armv8", "reset-invalidate=off", "resume-barrier=none")]
    public void The_smmu_marks_the_power_managers_device_reads_a_full_barrier_follows(string workload, string cr0acks, bool drain, params string[] set)
    {
        var model = Scenarios.Shipped(workload, "recheck-mb", set);
        byte pm = (byte)(Layout.FirstThread + model.Workload.Threads.ToList().FindIndex(t => t.Name == "pm"));
        int drains = 0;
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
            // The CR0 values the marked CR0ACK reads acknowledged (3: CMDQEN and SMMUEN, the resume's last).
            Assert.Equal(cr0acks, string.Join(" ", answered.Where(m => m.Loc == (int)SmmuRegister.Cr0Ack).Select(m => m.A)));
            var cons = answered.Where(m => m.Loc != (int)SmmuRegister.Cr0Ack).ToList();
            Assert.All(cons, m => Assert.Equal((int)SmmuRegister.Cons, m.Loc));
            // The drain's poll, once a run; none when it timed out, where its answer did not come or came late (stale).
            Assert.InRange(cons.Count, 0, drain ? 1 : 0);
            drains += cons.Count;
        }
        Assert.True(!drain || drains >= 5, $"only {drains} drains of 10 marked");
    }

    /// <summary>
    /// A workload's own smp_mb or dma_mb after a callback is such a barrier too, idle ops between or not, where no
    /// runtime-PM core orders the callbacks (pm-core-order=none): the suspend's last CR0ACK read is marked, and the
    /// resume's, with nothing after it, is not; a map op between leaves it unmarked under a coherent walker (a store, then
    /// nothing that fences) and marked under a non-coherent one (the store, then a full barrier for the walker).
    /// </summary>
    [Theory]
    [InlineData("""{ "op": "smp_mb" }""", "0", "recheck-mb")]
    [InlineData("""{ "op": "idle", "ticks": 5 }, { "op": "dma_mb" }""", "0", "recheck-mb")]
    [InlineData("""{ "op": "map", "iova": "A" }, { "op": "smp_mb" }""", "", "recheck-mb")]
    [InlineData("""{ "op": "map", "iova": "A" }""", "0", "noncoherent-walker")]
    public void A_workloads_full_barrier_after_a_callback_orders_loads_after_its_last_cr0ack_read(string between, string cr0acks, string variant)
    {
        var model = Scenarios.Inline($$"""
            { "name": "pm-barrier", "queueShift": 3, "iovas": [ { "name": "A" } ],
              "threads": [ { "name": "pm", "program": [ { "op": "suspend" }, {{between}}, { "op": "resume" } ] } ] }
            """, variant, "loads=armv8", "pm-core-order=none");
        var sent = Scenarios.Random(model, 1, trace: true).Trace!.Entries.Select(e => e.Message).ToList();
        var acknowledged = sent.Where(m => m.Kind == MessageKind.DeviceMark)
            .Select(mark => Assert.Single(sent, m => m.Src == Layout.SmmuActor && m.SendTime == mark.SendTime && m.Kind == MessageKind.WaitReply))
            .Select(m => (m.Loc, m.A));
        // Under the non-coherent walker the resume's CMD_SYNC waits read CONS with readl, marked too (ReadlFenceTests).
        Assert.Equal(cr0acks, string.Join(" ", acknowledged.Where(r => r.Loc == (int)SmmuRegister.Cr0Ack).Select(r => r.A)));
    }

    /// <summary>
    /// pm-cycles with a drain timeout of 3 ticks: the suspend's flush and drain polls often give up, with their requests or
    /// answers still on the way, in random runs under loads=armv8.
    /// </summary>
    static ScenarioModel ShortDrain(string variant, params string[] set)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(TestPaths.Scenario("pm-cycles.json")))!;
        json["drainTimeout"] = 3;
        return Scenarios.Inline(json.ToJsonString(), variant, ["loads=armv8", .. set]);
    }

    /// <summary>
    /// In a timed run a spin that timed out stays parked at its holder (the search withdraws it), so the drain's marked
    /// CONS poll, given up, may be answered late while the power manager reads the lock in the quiesce. Memory ignores a
    /// late mark that finds a load of its reader choosing (<c>WriteHistory.DeviceAnswered</c>), which stopped such runs as
    /// a model error (run 1,270 of this campaign, before).
    /// </summary>
    [Fact]
    public void A_late_mark_of_a_drain_poll_given_up_does_not_stop_a_random_run()
    {
        var result = RandomBatch.Run(ShortDrain("gate-outside-cas", "quiesce-order=smp-mb"), 1, 0, 2000);
        Assert.Equal(2000, result.Runs);
        Assert.Contains(ViolationKind.DrainTimeout, result.ViolationsByKind.Keys);
    }

    /// <summary>
    /// A spin request whose delay outlasts its timeout goes when the spin does (<c>Fabric.DropSpin</c>): before, taken by
    /// memory after the thread had given up and armed its next spin on owner_prod (resume's reservation), the flush's
    /// stale wait used that arming up, and the owner's spin then stopped the run as unarmed (seed 19 of reviewer-race with a
    /// 3-tick drain timeout; run 43 of this campaign).
    /// </summary>
    [Fact]
    public void A_spin_request_still_on_its_way_when_the_spin_times_out_goes_with_it()
    {
        var result = RandomBatch.Run(ShortDrain("recheck-mb"), 1, 0, 2000);
        Assert.Equal(2000, result.Runs);
        Assert.Contains(ViolationKind.DrainTimeout, result.ViolationsByKind.Keys);
    }
}
