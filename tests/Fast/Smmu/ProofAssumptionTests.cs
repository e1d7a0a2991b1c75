using SmmuActors.Model.Sim;
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
    /// What a CPU's read of an SMMU register returns while the SMMU is off, or of PROD and CONS after power-on until the
    /// reset writes them, no fact gives (off-reads chooses): the SMMU reports each such read, answered or still polling
    /// when the power changes, and a search that met one is no proof. The reset writes both before it sets CMDQEN, which
    /// bounds the window from above.
    /// </summary>
    [Fact]
    public void The_smmu_reports_each_cpu_read_of_a_register_no_fact_gives_and_only_those()
    {
        var race = Scenarios.Shipped("reviewer-race.json", "recheck-mb");
        ulong unknown = 1UL << (int)ProtocolBranch.UnknownRegisterRead;
        Assert.True(race.RegisterReadsMayBeUnknown(unknown));
        Assert.False(race.RegisterReadsMayBeUnknown(~unknown));

        var smmu = (SmmuComponent)race.CreateComponent(Layout.SmmuActor, untimed: true);
        var o = new Outbox();
        bool Reported(Message m)
        {
            o.Begin(Layout.SmmuActor);
            smmu.Handle(m with { Dst = Layout.SmmuActor }, o);
            bool reported = o.Events.Any(e => e.Kind() == EventKind.Branch && e.A == (long)ProtocolBranch.UnknownRegisterRead);
            o.Messages.Clear();
            o.Events.Clear();
            return reported;
        }
        const byte Cpu = Layout.FirstThread;
        Message Read(SmmuRegister r) => new() { Src = Cpu, Kind = MessageKind.MmioRead, Loc = (int)r };
        Message Write(SmmuRegister r, long v) => new() { Src = Cpu + 1, Kind = MessageKind.MmioWrite, Loc = (int)r, A = v };
        Message ConsWait() => new() { Src = Cpu, Kind = MessageKind.Wait, Loc = (int)SmmuRegister.Cons, A = 1, C = 3L << 8 | (byte)WaitPredicate.Consumed };

        Assert.False(Reported(Read(SmmuRegister.Cons)));          // powered since the start, written by nothing yet: the reset values of a driven SMMU
        Assert.False(Reported(ConsWait()));                       // parked
        Assert.True(Reported(Write(SmmuRegister.Power, 0)));      // the parked poll goes on reading a powered-off SMMU
        Assert.True(Reported(Read(SmmuRegister.Cons)));
        Assert.False(Reported(Read(SmmuRegister.Power)));
        smmu.Withdraw(Cpu);                                       // its CMD_SYNC's timeout
        Assert.False(Reported(Write(SmmuRegister.Power, 1)));     // no poll of PROD or CONS parked
        Assert.True(Reported(Read(SmmuRegister.Prod)));           // UNKNOWN after power-on
        Assert.False(Reported(Read(SmmuRegister.Cr0)));
        Assert.False(Reported(Write(SmmuRegister.Prod, 0)));
        Assert.False(Reported(Write(SmmuRegister.Cons, 0)));
        Assert.False(Reported(Write(SmmuRegister.Cr0, Cr0.CmdqEn)));
        Assert.False(Reported(Read(SmmuRegister.Cons)));
    }
}
