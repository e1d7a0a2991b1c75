using SmmuActors.Tests.Support;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// The exact value each WRITE_ONCE(llq.cons) of a thread carries, read off traced runs: the suspend's write-back of the
/// CONS register and the CMD_SYNC waiter's cons in MSI mode. A wrong value there shows only much later (reset loads
/// llq.cons into CONS), so these name the rule where the scenarios' verdicts would not.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class ConsPublishTests
{
    enum Source { ConsRegister, SyncWaiter }

    /// <summary>
    /// Every StoreCons a thread sent, with the value the driver's rule gives for it: the CONS register value the thread
    /// read just before (the suspend's write-back, the full-queue refresh), or, after a tryunlock read the lock as 1, the
    /// end of the thread's own last batch, i.e. its CMD_SYNC's index + 1. One CPU's stores to llq stay in order, so each
    /// thread's expectations are matched to its StoreCons deliveries first in, first out.
    /// </summary>
    static List<(byte Thread, Source Source, long Expected, long Written)> Publications(RunResult r)
    {
        var expected = new Dictionary<byte, Queue<(Source, long)>>();
        var lastEnd = new Dictionary<byte, long>();
        var found = new List<(byte, Source, long, long)>();
        Queue<(Source, long)> Of(byte t) => expected.TryGetValue(t, out var q) ? q : expected[t] = new();
        foreach (var e in r.Trace!.Entries)
        {
            var m = e.Message;
            if (m.Kind == MessageKind.LoadReply && m.Dst >= Layout.FirstThread && m.Src == Layout.SmmuActor && m.Loc == (int)SmmuRegister.Cons)
                Of(m.Dst).Enqueue((Source.ConsRegister, m.A));
            else if (m.Kind == MessageKind.LoadReply && m.Dst >= Layout.FirstThread && m.Src == Layout.MemoryActor && m.Loc == Layout.Lock && m.A == 1)
                Of(m.Dst).Enqueue((Source.SyncWaiter, lastEnd[m.Dst]));
            else if (m.Kind == MessageKind.StoreCons)
            {
                Assert.True(Of(m.Src).TryDequeue(out var x), $"step {e.Step}: thread {m.Src} stored llq.cons = {m.A} with no CONS read or last-out tryunlock before it");
                found.Add((m.Src, x.Item1, x.Item2, m.A));
            }
            foreach (var ev in e.Events.Where(ev => ev.Kind() == EventKind.Committed)) lastEnd[ev.Actor] = ev.B;
        }
        return found;
    }

    /// <summary>
    /// Before powering off, suspend reads the CONS register and writes it into llq.cons, so that reset loads the
    /// consumer the SMMU reached, not an older one (§5.5, §2.8 step 5). Under drain=sync the drain's own CMD_SYNC puts
    /// CONS one past the target, so a write-back of the target instead of the register is told apart too.
    /// </summary>
    [Theory]
    [InlineData("cons-poll")]
    [InlineData("sync")]
    public void The_suspend_writes_back_exactly_the_CONS_register_value_it_read(string drain)
    {
        var model = Scenarios.Shipped("pm-cycles.json", "as-posted", $"drain={drain}");
        byte pm = (byte)(Layout.FirstThread + model.Workload.Threads.ToList().FindIndex(t => t.Name == "pm"));
        int writebacks = 0, nonZero = 0;
        for (ulong seed = 1; seed <= 30; seed++)
        {
            foreach (var p in Publications(Scenarios.Random(model, seed, trace: true)).Where(p => p.Thread == pm && p.Source == Source.ConsRegister))
            {
                // §5.5: "Is the CONS register copied back into llq.cons before power-off?" — the value read, unchanged.
                Assert.True(p.Expected == p.Written, $"seed {seed}: suspend read CONS = {p.Expected:x} and wrote llq.cons = {p.Written:x}");
                writebacks++;
                if (p.Written != 0) nonZero++;
            }
        }
        Assert.True(writebacks >= 30, $"only {writebacks} write-backs in 30 runs of two suspends each");
        Assert.True(nonZero > 0, "no write-back of a non-zero CONS: a write-back of 0 or of an empty field would pass");
    }

    /// <summary>
    /// In MSI mode the waiter never reads CONS: on success __arm_smmu_cmdq_poll_until_msi sets cons to its CMD_SYNC's
    /// slot + 1, and the last sharer out (tryunlock read the lock as 1) publishes that (§2.5, §0.7). storm's 4-entry queue
    /// wraps, so the index + 1 is checked across the wrap bit too.
    /// </summary>
    [Fact]
    public void In_MSI_mode_the_last_sharer_out_publishes_its_CMD_SYNC_index_plus_1()
    {
        var model = Scenarios.Shipped("storm.json", "as-posted");
        Assert.Equal(SyncMode.Msi, model.Variant.SyncMode);
        int published = 0, wrapped = 0;
        for (ulong seed = 1; seed <= 40; seed++)
        {
            var r = Scenarios.Random(model, seed, trace: true);
            foreach (var p in Publications(r).Where(p => p.Source == Source.SyncWaiter))
            {
                // §2.5: "Success sets cons = slot+1" (llq->cons = queue_inc_prod_n(llq, 1)), then WRITE_ONCE(llq.cons) (§0.7).
                Assert.True(p.Expected == p.Written, $"seed {seed}: thread {p.Thread}'s batch ended at {p.Expected:x}, it published {p.Written:x}");
                published++;
                if (model.Layout.Q.Wrp((uint)p.Written) != 0) wrapped++;
            }
            // A timed-out wait publishes the slot itself (llq->prod): none here, where delays are far below 1 s. Checked
            // after the values, so a cons published too far ahead fails on its value, not on the timeout it causes.
            Assert.DoesNotContain(Scenarios.Events(r), e => e.Kind() == EventKind.SyncTimeout);
        }
        Assert.True(published > 40 && wrapped > 0, $"{published} publications, {wrapped} on the second lap");
    }
}
