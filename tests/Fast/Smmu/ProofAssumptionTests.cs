using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// What a clean search rests on where the model is stronger than the facts: each such place is flagged, so that the
/// verdict names it rather than saying HOLDS (reports/VerdictWords.cs).
/// </summary>
[Trait("Suite", "Fast")]
public class ProofAssumptionTests
{
    const string Armv8 = "loads=armv8";

    /// <summary>
    /// Under rmw-write=with-read a relaxed RMW writes with its read, so the CPU's later stores follow it, which Arm does
    /// not require: a workload with a driver op that makes one (every one but map) is flagged, so that a clean search is
    /// not called a proof; one of loads, stores, barriers and maps has no RMW and is exact, and rmw-write=split is exact.
    /// </summary>
    [Fact]
    public void A_driver_op_whose_rmw_writes_with_its_read_is_flagged()
    {
        static string Shape(string op) => $$"""
            { "name": "rmw", "queueShift": 3, "vars": ["x"], "iovas": [ { "name": "A", "mapped": false, "inTlb": false } ],
              "threads": [ { "name": "cpu0", "program": [ { "op": "store", "var": "x", "value": 1 }, {{op}} { "op": "load", "var": "x" } ] } ] }
            """;
        foreach (var op in new[] { """{ "op": "sync" },""", """{ "op": "unmap", "iova": "A" },""", """{ "op": "tlbi", "iova": "A" },""",
                     """{ "op": "suspend" }, { "op": "resume" },""" })
        {
            Assert.True(Scenarios.Inline(Shape(op), "as-posted", Armv8).RmwWritesStrongerThanArmv8, op);
            Assert.False(Scenarios.Inline(Shape(op), "as-posted", Armv8, "rmw-write=split").RmwWritesStrongerThanArmv8, op);
            // Under in-order loads the verdict is no proof anyway, for its loads.
            Assert.False(Scenarios.Inline(Shape(op), "as-posted").RmwWritesStrongerThanArmv8, op);
        }
        foreach (var op in new[] { "", """{ "op": "map", "iova": "A" },""", """{ "op": "smp_mb" },""" })
            Assert.False(Scenarios.Inline(Shape(op), "as-posted", Armv8).RmwWritesStrongerThanArmv8, op);
        Assert.True(Scenarios.Shipped("reviewer-race.json", "recheck-mb", Armv8).RmwWritesStrongerThanArmv8);
    }

    /// <summary>
    /// The suspend's copy of CONS into llq.cons is in no source of v8 (protocol.md §5, question 5): a workload that suspends
    /// under cons-writeback=on is flagged; without a suspend, or with cons-writeback=off, nothing rests on it.
    /// </summary>
    [Fact]
    public void A_cons_write_back_no_source_shows_is_flagged()
    {
        Assert.True(Scenarios.Shipped("reviewer-race.json", "recheck-mb").ConsWritebackUnsourced);
        Assert.False(Scenarios.Shipped("reviewer-race.json", "recheck-mb", "cons-writeback=off").ConsWritebackUnsourced);
        Assert.False(Scenarios.Shipped("reviewer-race.json", "stale-cons-on-resume").ConsWritebackUnsourced);
        Assert.False(Scenarios.Shipped("cons-wait.json", "as-posted").ConsWritebackUnsourced);
    }

    /// <summary>
    /// What a CPU's read of CONS returns while the SMMU is off, or after power-on until the reset writes it, no fact gives
    /// (off-reads chooses). Only a workload that suspends can meet it, through the full-queue refresh (once a full-queue
    /// wait was reached) or the CMD_SYNC wait on CONS.
    /// </summary>
    [Fact]
    public void A_cons_read_that_may_meet_a_powered_off_SMMU_is_flagged()
    {
        ulong fullQueueWait = 1UL << (int)ProtocolBranch.FullQueueWait, others = ~fullQueueWait;
        var race = Scenarios.Shipped("reviewer-race.json", "recheck-mb");
        Assert.False(race.RegisterReadsMayBeUnknown(others));
        Assert.True(race.RegisterReadsMayBeUnknown(fullQueueWait));
        Assert.True(Scenarios.Shipped("reviewer-race.json", "recheck-mb", "sync-mode=cons").RegisterReadsMayBeUnknown(0));
        // No suspend: the SMMU stays powered and its registers written.
        var consWait = Scenarios.Shipped("cons-wait.json", "no-gate", "sync-mode=cons");
        Assert.False(consWait.RegisterReadsMayBeUnknown(ulong.MaxValue));
    }
}
