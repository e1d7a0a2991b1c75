using SmmuActors.Tests.Support;
using SmmuActors.Model.Sim;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// Memory-ordering shapes as tiny workloads. Exhaustive search lists every final outcome the model
/// allows; the expectations are the Arm architecture's published results for these shapes (SB, MP
/// with and without barriers; herdtools7 catalogue/aarch64/tests/kinds.txt). The CPUs' loads may be
/// performed out of order, so MP needs ordering on the reader's side too.
/// </summary>
[Trait("Suite", "Fast")]
public class LitmusTests
{
    static string Litmus(string cpu0, string cpu1) => $$"""
        {
          "name": "litmus", "queueShift": 3, "vars": ["x", "y"],
          "threads": [
            { "name": "cpu0", "start": [0, 4, 30], "program": [ {{cpu0}} ] },
            { "name": "cpu1", "start": [0, 4, 30], "program": [ {{cpu1}} ] }
          ],
          "delays": { "min": 1, "max": 1, "menu": [1, 5, 20], "maxDelayed": 2 }
        }
        """;

    static HashSet<string> Outcomes(string json, params string[] set)
    {
        var (r, _, exhausted) = Scenarios.Exhaustive(Scenarios.Inline(json, "as-posted", set));
        Assert.True(exhausted);
        Assert.Empty(r.ViolationsByKind);
        return r.Outcomes.Keys.ToHashSet();
    }

    const string Sb0 = """{ "op": "store", "var": "x", "value": 1 }, {{B}} { "op": "load", "var": "y" }""";
    const string Sb1 = """{ "op": "store", "var": "y", "value": 1 }, {{B}} { "op": "load", "var": "x" }""";

    static string Sb(string barrier0, string barrier1) =>
        Litmus(Sb0.Replace("{{B}}", barrier0), Sb1.Replace("{{B}}", barrier1));

    const string Mb = """{ "op": "smp_mb" },""";
    const string DmaMb = """{ "op": "dma_mb" },""";
    const string DmaWmb = """{ "op": "dma_wmb" },""";

    const string Lb0 = """{ "op": "load", "var": "x" }, {{B}} { "op": "store", "var": "y", "value": 1 }""";
    const string Lb1 = """{ "op": "load", "var": "y" }, {{B}} { "op": "store", "var": "x", "value": 1 }""";

    static string Lb(string barrier0, string barrier1) =>
        Litmus(Lb0.Replace("{{B}}", barrier0), Lb1.Replace("{{B}}", barrier1));

    /// <summary>
    /// A workload's load holds its thread until answered, so the store after it waits: the model never reaches LB's
    /// outcome, which Armv8 allows (herd's LB is Allowed). Such a workload is flagged so that a clean search is not
    /// called a proof; a full barrier between makes the model exact there, and it is not flagged.
    /// </summary>
    [Fact]
    public void LoadBufferingIsMissedByWorkloadLoadsAndFlagged()
    {
        var model = Scenarios.Inline(Lb("", ""), "as-posted", "loads=armv8");
        Assert.True(model.WorkloadLoadsStrongerThanArmv8);
        Assert.DoesNotContain("cpu0:x=1 cpu1:y=1", Outcomes(Lb("", ""), "loads=armv8"));
        Assert.False(Scenarios.Inline(Lb("", ""), "as-posted").WorkloadLoadsStrongerThanArmv8);
        Assert.False(Scenarios.Inline(Lb(Mb, DmaMb), "as-posted", "loads=armv8").WorkloadLoadsStrongerThanArmv8);
        Assert.True(Scenarios.Inline(Lb(Mb, ""), "as-posted", "loads=armv8").WorkloadLoadsStrongerThanArmv8);
        // A store-release is ordered after the load (po; [L]); a plain store after the release is not.
        Assert.False(Scenarios.Inline(Litmus("""{ "op": "load", "var": "x" }, { "op": "store-release", "var": "y", "value": 1 }""",
            """{ "op": "load", "var": "y" }, { "op": "store-release", "var": "x", "value": 1 }"""), "as-posted", "loads=armv8").WorkloadLoadsStrongerThanArmv8);
        Assert.True(Scenarios.Inline(Litmus("""{ "op": "load", "var": "x" }, { "op": "store-release", "var": "y", "value": 1 }, { "op": "store", "var": "x", "value": 2 }""",
            """{ "op": "store", "var": "y", "value": 2 }"""), "as-posted", "loads=armv8").WorkloadLoadsStrongerThanArmv8);
        // Loads last (SB) or loads only (MP's reader) are exact, and the shipped workloads have no load op.
        Assert.False(Scenarios.Inline(Sb("", ""), "as-posted", "loads=armv8").WorkloadLoadsStrongerThanArmv8);
        foreach (var file in new[] { "reviewer-race.json", "full-queue.json", "storm.json", "pm-cycles.json", "cons-wait.json" })
            Assert.False(Scenarios.Shipped(file, "recheck-mb", "loads=armv8").WorkloadLoadsStrongerThanArmv8);
    }

    [Fact]
    public void StoreBufferingWithoutBarriersAllowsBothOld()
    {
        var o = Outcomes(Sb("", ""));
        Assert.Contains("cpu0:y=0 cpu1:x=0", o);
        Assert.Contains("cpu0:y=1 cpu1:x=1", o);
    }

    [Theory]
    [InlineData(Mb, Mb)]
    [InlineData(DmaMb, DmaMb)]
    [InlineData(Mb, DmaMb)]
    public void StoreBufferingWithFullBarrierOnBothSidesForbidsBothOld(string b0, string b1)
    {
        var o = Outcomes(Sb(b0, b1));
        Assert.DoesNotContain("cpu0:y=0 cpu1:x=0", o);
        Assert.Contains("cpu0:y=1 cpu1:x=0", o);
        Assert.Contains("cpu0:y=0 cpu1:x=1", o);
    }

    [Theory]
    [InlineData(Mb, "")]
    [InlineData("", DmaMb)]
    [InlineData(DmaWmb, DmaWmb)] // dmb oshst orders stores against stores only: SB stays allowed
    public void StoreBufferingWithABarrierMissingOnOneSideStaysAllowed(string b0, string b1)
    {
        Assert.Contains("cpu0:y=0 cpu1:x=0", Outcomes(Sb(b0, b1)));
    }

    static string Mp(string writerBarrier, string flagStore = "store", string readerBarrier = "") => Litmus(
        $$"""{ "op": "store", "var": "x", "value": 1 }, {{writerBarrier}} { "op": "{{flagStore}}", "var": "y", "value": 1 }""",
        $$"""{ "op": "load", "var": "y" }, {{readerBarrier}} { "op": "load", "var": "x" }""");

    [Fact]
    public void MessagePassingWithoutWriterBarrierAllowsFlagBeforeData()
    {
        Assert.Contains("cpu1:y=1 cpu1:x=0", Outcomes(Mp("")));
    }

    // Ordering on the writer alone does not help: the reader's loads may be performed out of order
    // (MP+dmb.sy+po, MP+popl+po: Allowed in herdtools7's aarch64 catalogue).
    [Theory]
    [InlineData(DmaWmb, "store")]
    [InlineData(Mb, "store")]
    [InlineData("", "store-release")]
    public void MessagePassingWithWriterOrderingOnlyStillAllowsFlagBeforeData(string barrier, string flagStore)
    {
        var o = Outcomes(Mp(barrier, flagStore), Armv8);
        Assert.Contains("cpu1:y=1 cpu1:x=0", o);
        Assert.Contains("cpu1:y=1 cpu1:x=1", o);
        Assert.Contains("cpu1:y=0 cpu1:x=0", o);
        // loads=in-order reads the newest write on every load: stronger than Armv8, it forbids the outcome.
        Assert.DoesNotContain("cpu1:y=1 cpu1:x=0", Outcomes(Mp(barrier, flagStore)));
    }

    const string Armv8 = "loads=armv8";

    // With a full barrier on the reader too, flag-before-data is gone (MP+dmb.sys, MP+popl+dmb.sy: Forbidden).
    [Theory]
    [InlineData(DmaWmb, "store")]
    [InlineData(Mb, "store")]
    [InlineData("", "store-release")]
    public void MessagePassingWithOrderingOnBothSidesForbidsFlagBeforeData(string barrier, string flagStore)
    {
        var o = Outcomes(Mp(barrier, flagStore, Mb), Armv8);
        Assert.DoesNotContain("cpu1:y=1 cpu1:x=0", o);
        Assert.Contains("cpu1:y=1 cpu1:x=1", o);
        Assert.Contains("cpu1:y=0 cpu1:x=0", o);
    }

    [Fact]
    public void StoresFromOneCpuToOneLocationStayInOrder()
    {
        var o = Outcomes(Litmus(
            """{ "op": "store", "var": "x", "value": 1 }, { "op": "store", "var": "x", "value": 2 }""",
            """{ "op": "load", "var": "x" }, { "op": "load", "var": "x" }"""));
        Assert.DoesNotContain("cpu1:x=2 cpu1:x=1", o);
        Assert.DoesNotContain("cpu1:x=2 cpu1:x=0", o);
        Assert.DoesNotContain("cpu1:x=1 cpu1:x=0", o);
        Assert.Contains("cpu1:x=0 cpu1:x=2", o);
    }

    /// <summary>MP to the device: a command stored in a ring slot, then the PROD doorbell; the SMMU fetches the slot.</summary>
    static Dictionary<ViolationKind, long> Doorbell(string write) => Scenarios.Exhaustive(Scenarios.Inline($$"""
        {
          "name": "doorbell", "queueShift": 3,
          "threads": [ { "name": "cpu0", "program": [
            { "op": "store-slot", "slot": 0 }, { "op": "{{write}}", "register": "prod", "value": 1 } ] } ],
          "delays": { "min": 1, "max": 1, "menu": [1, 5, 20], "maxDelayed": 2 }
        }
        """)).Result.ViolationsByKind;

    [Fact]
    public void WritelRelaxedLetsTheDeviceSeeTheDoorbellBeforeTheCommand() =>
        Assert.Contains(ViolationKind.QueueInvariant, Doorbell("writel_relaxed").Keys);

    [Fact]
    public void WritelOrdersTheCommandBeforeTheDoorbell() =>
        Assert.Empty(Doorbell("writel"));
}
