using SmmuActors.Tests.Support;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Smmu;

/// <summary>The CMDQ's reservation, valid map, owner batching and full-queue paths, checked over many seeded runs.</summary>
[Trait("Suite", "Fast")]
public class CmdqTests
{
    static string Workload(int shift, params string[] programs) => $$"""
        {
          "name": "cmdq", "queueShift": {{shift}},
          "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
          "threads": [ {{string.Join(",", programs.Select((p, i) => $$"""{ "name": "cpu{{i}}", "program": [ {{p}} ] }"""))}} ],
          "delays": { "min": 1, "max": 4, "longProbability": 0.05, "longMax": 40 }
        }
        """;

    static string Repeat(string op, int n) => string.Join(",", Enumerable.Repeat(op, n));

    /// <summary>Every command written was executed by the SMMU, once.</summary>
    static void AllCommandsExecuted(RunResult r)
    {
        var events = Scenarios.Events(r).ToList();
        var written = events.Where(e => e.Kind() == EventKind.SlotWritten).Select(e => e.B).ToList();
        var executed = events.Where(e => e.Kind() == EventKind.Executed).Select(e => e.B).ToList();
        Assert.Equal(written.OrderBy(x => x), executed.OrderBy(x => x));
    }

    [Fact]
    public void ValidMapLapParityHoldsOverManyWraps()
    {
        // 4 slots, 12 two-slot batches: six laps, so the valid bit means "1" on even laps and "0" on odd ones.
        var model = Scenarios.Inline(Workload(2, Repeat("""{ "op": "tlbi", "iova": "A", "count": 1, "sync": true }""", 12)));
        for (ulong seed = 1; seed <= 100; seed++)
        {
            var r = Scenarios.Random(model, seed, trace: true);
            Assert.Empty(r.Violations);
            AllCommandsExecuted(r);
            var validSets = Scenarios.Events(r).Where(e => e.Kind() == EventKind.ValidSet).ToList();
            Assert.Equal(12, validSets.Count);
            Assert.Contains(validSets, e => model.Layout.Q.Wrp((uint)e.A) != 0);
            Assert.Contains(validSets, e => model.Layout.Q.Wrp((uint)e.A) == 0);
            Assert.NotEqual(0UL, r.Coverage & (1UL << (int)ProtocolBranch.QueueWrap));
        }
    }

    [Fact]
    public void OwnerPublishesTheBatchesOfCpusThatJoinedIt()
    {
        var batch = """{ "op": "tlbi", "iova": "A", "count": 2, "sync": false }, { "op": "sync" }""";
        var model = Scenarios.Inline(Workload(4, batch, batch, batch));
        int joined = 0;
        for (ulong seed = 1; seed <= 300; seed++)
        {
            var r = Scenarios.Random(model, seed, trace: true);
            Assert.Empty(r.Violations);
            AllCommandsExecuted(r);
            var commits = Scenarios.Events(r).Where(e => e.Kind() == EventKind.Committed).ToList();
            var nonOwners = commits.Where(e => e.C == 0).Select(e => e.Actor).ToHashSet();
            if (nonOwners.Count == 0) continue;
            joined++;
            // A non-owner never rings the doorbell itself: some owner's PROD write covers its slots.
            var doorbellRingers = r.Trace!.Entries.Where(e => e.Message.Kind == MessageKind.MmioWrite && e.Message.Loc == (int)SmmuRegister.Prod)
                .Select(e => e.Message.Src).ToHashSet();
            var ownerOnly = commits.Where(e => e.C == 1).Select(e => e.Actor).ToHashSet();
            Assert.Subset(ownerOnly, doorbellRingers);
            Assert.True(commits.Count(e => e.C == 1) < commits.Count);
        }
        Assert.True(joined > 10, $"only {joined} of 300 runs had a CPU join another's batch");
    }

    [Fact]
    public void FullQueueWaitsRefreshConsAndMakeProgress()
    {
        // Two slots and batches of two: every submitter after the first finds the queue full.
        var op = """{ "op": "tlbi", "iova": "A", "count": 1, "sync": true }""";
        var model = Scenarios.Inline(Workload(1, $"{op},{op}", $"{op},{op}", op));
        ulong coverage = 0;
        for (ulong seed = 1; seed <= 200; seed++)
        {
            var r = Scenarios.Random(model, seed, trace: true);
            Assert.Empty(r.Violations);
            AllCommandsExecuted(r);
            coverage |= r.Coverage;
        }
        Assert.NotEqual(0UL, coverage & (1UL << (int)ProtocolBranch.FullQueueWait));
        Assert.NotEqual(0UL, coverage & (1UL << (int)ProtocolBranch.ExclusiveRefresh));
        Assert.NotEqual(0UL, coverage & (1UL << (int)ProtocolBranch.ReserveRetry));
    }

    [Fact]
    public void AfterAFullQueueTimeoutTheCpuTriesTheExclusiveRefreshAgain()
    {
        // poll_until_not_full returns -ETIMEDOUT with the full llq it last read; the caller's while (!has_space) loop
        // calls it again, so the CPU's next access is the exclusive trylock (§2.3 step 1, §2.6), not a fresh read of
        // llq that could send it straight to the CAS without refreshing cons.
        var model = Scenarios.Shipped("full-queue.json", "as-posted");
        int timeouts = 0;
        for (ulong seed = 1; seed <= 400 && timeouts < 5; seed++)
        {
            var r = Scenarios.Random(model, seed, trace: true);
            if ((r.Coverage & (1UL << (int)ProtocolBranch.FullQueueTimeout)) == 0) continue;
            var entries = r.Trace!.Entries;
            foreach (var t in entries.Where(e => e.Events.Any(x => x.Kind() == EventKind.Branch && x.A == (long)ProtocolBranch.FullQueueTimeout)))
            {
                timeouts++;
                var next = entries.FirstOrDefault(e => e.Step > t.Step && e.Message.Src == t.Message.Dst);
                if (next is null) continue;
                Assert.True(next.Message.Kind == MessageKind.Cas && next.Message.Loc == Layout.Lock,
                    $"seed {seed}: after the timeout at step {t.Step} the CPU sent {next.Message.Kind} to location {next.Message.Loc}");
            }
        }
        Assert.True(timeouts > 0, "no run of 400 timed out in the full-queue wait");
    }

    [Fact]
    public void OnlyTheLastSharerOutPublishesItsConsIntoLlq()
    {
        // arm_smmu_cmdq_issue_cmdlist: if (!arm_smmu_cmdq_shared_tryunlock(cmdq)) { WRITE_ONCE(cmdq->q.llq.cons, llq.cons);
        // arm_smmu_cmdq_shared_unlock(cmdq); }, and the tryunlock fails only when it reads the lock as 1 (§0.7, §2.6). A
        // sharer that is not the last may hold a cons older than one already published, and llq.cons must not go back.
        var model = Scenarios.Shipped("storm.json", "as-posted");
        int lastOut = 0, notLast = 0;
        for (ulong seed = 1; seed <= 40; seed++)
        {
            var entries = Scenarios.Random(model, seed, trace: true).Trace!.Entries;
            for (int i = 0; i < entries.Count; i++)
            {
                var read = entries[i].Message;
                if (read.Kind != MessageKind.LoadReply || read.Loc != Layout.Lock || read.Dst < Layout.FirstThread) continue;
                // The unlock is a release: it reaches the lock after the cons store, if any, reached llq.
                int unlock = i + 1;
                while (unlock < entries.Count && !(entries[unlock].Message.Src == read.Dst && entries[unlock].Message.Loc == Layout.Lock)) unlock++;
                bool published = entries.Skip(i + 1).Take(unlock - i - 1).Any(e => e.Message.Src == read.Dst && e.Message.Kind == MessageKind.StoreCons);
                Assert.True(published == (read.A == 1), $"seed {seed}: the CPU read the lock as {read.A} and {(published ? "published" : "did not publish")} its cons");
                if (read.A == 1) lastOut++; else notLast++;
            }
        }
        Assert.True(lastOut > 0 && notLast > 0, $"{lastOut} last sharers out, {notLast} others: both must be seen");
    }

    [Fact]
    public void FlagBitsReachTheProdRegisterOnlyWithoutTheMask()
    {
        // Reset writes llq.prod to PROD while STOP is still set (§2.8, §3.4): only CMDQ_PROD_IDX_MASK keeps it out.
        var masked = Scenarios.Random(Scenarios.Shipped("reviewer-race.json", "as-posted"), 1);
        Assert.DoesNotContain(masked.Violations, v => v.Kind == ViolationKind.QueueInvariant);
        var unmasked = Scenarios.Random(Scenarios.Shipped("reviewer-race.json", "unmasked-flags"), 1);
        var v = Assert.Single(unmasked.Violations, v => v.Kind == ViolationKind.QueueInvariant);
        Assert.Contains("PROD register", v.Detail);
    }
}
