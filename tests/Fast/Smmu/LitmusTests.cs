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

    const string BothLoadedOne = "cpu0:x=1 cpu1:y=1";

    /// <summary>
    /// Under loads=armv8 a workload's load does not hold its thread, so the store after it may become visible first: LB's
    /// outcome is reached (herd's LB and LB+dmb.sy+po are Allowed). A full barrier on both sides, or a store-release
    /// after each load (<c>po; [L]</c> in bob), forbids it (LB+dmb.sys, LB+popl+popl: Forbidden). loads=in-order holds
    /// the thread on every load and never reaches it. None of these workloads is flagged: the model is exact for them.
    /// </summary>
    [Theory]
    [InlineData("", "", true)]
    [InlineData(Mb, "", true)]
    [InlineData(Mb, Mb, false)]
    [InlineData(DmaMb, Mb, false)]
    public void LoadBufferingIsReachedUnlessBothSidesOrderTheirStores(string b0, string b1, bool reached)
    {
        Assert.Equal(reached, Outcomes(Lb(b0, b1), Armv8).Contains(BothLoadedOne));
        Assert.False(Scenarios.Inline(Lb(b0, b1), "as-posted", Armv8).WorkloadLoadsStrongerThanArmv8);
        Assert.DoesNotContain(BothLoadedOne, Outcomes(Lb(b0, b1)));
    }

    [Fact]
    public void AStoreReleaseAfterALoadWaitsForItButLaterStoresDoNot()
    {
        // LB+popl+popl: Forbidden.
        Assert.DoesNotContain(BothLoadedOne, Outcomes(Litmus(
            """{ "op": "load", "var": "x" }, { "op": "store-release", "var": "y", "value": 1 }""",
            """{ "op": "load", "var": "y" }, { "op": "store-release", "var": "x", "value": 1 }"""), Armv8));
        // The release is held back, the plain store after it is not: nothing orders it after the load.
        const string cpu0 = """{ "op": "load", "var": "x" }, { "op": "store-release", "var": "y", "value": 1 }, { "op": "store", "var": "z", "value": 1 }""";
        Assert.Contains("cpu0:x=1 cpu1:z=1", Outcomes(Litmus3(cpu0, """{ "op": "load", "var": "z" }, { "op": "smp_mb" }, { "op": "store", "var": "x", "value": 1 }"""), Armv8));
        Assert.DoesNotContain("cpu0:x=1 cpu1:y=1", Outcomes(Litmus3(cpu0, """{ "op": "load", "var": "y" }, { "op": "smp_mb" }, { "op": "store", "var": "x", "value": 1 }"""), Armv8));
    }

    /// <summary>The shape with a third variable z (the release's later store).</summary>
    static string Litmus3(string cpu0, string cpu1) => Litmus(cpu0, cpu1).Replace("\"vars\": [\"x\", \"y\"]", "\"vars\": [\"x\", \"y\", \"z\"]");

    [Fact]
    public void ALoadReadsNeitherItsOwnLaterStoreNorOlderThanItsOwnHeldStore()
    {
        // CoRW: the store after the load is never what it reads.
        Assert.DoesNotContain("cpu0:x=1", Outcomes(Litmus("""{ "op": "load", "var": "x" }, { "op": "store", "var": "x", "value": 1 }""",
            """{ "op": "store", "var": "y", "value": 1 }"""), Armv8));
        // CoWR: a load after the thread's store-release to y, held back behind the load of x, reads that store or a later one.
        var o = Outcomes(Litmus(
            """{ "op": "load", "var": "x" }, { "op": "store-release", "var": "y", "value": 1 }, { "op": "load", "var": "y" }""",
            """{ "op": "store", "var": "y", "value": 2 }, { "op": "store", "var": "x", "value": 1 }"""), Armv8);
        Assert.Contains("cpu0:x=1 cpu0:y=1", o);
        Assert.Contains("cpu0:x=0 cpu0:y=2", o);
        Assert.DoesNotContain(o, k => k.Contains("cpu0:y=0"));
    }

    /// <summary>
    /// CoRR in timed runs: a thread's second load of x may read only what its first read or a later write. Random runs
    /// once failed here (the second load overtook the first's read choices: "a read choice with no load choosing").
    /// </summary>
    [Fact]
    public void TwoLoadsOfOneLocationKeepCoherenceInRandomRuns()
    {
        var model = Scenarios.Inline(Litmus("""{ "op": "store", "var": "x", "value": 1 }, { "op": "store", "var": "x", "value": 2 }""",
            """{ "op": "load", "var": "x" }, { "op": "load", "var": "x" }, { "op": "load", "var": "x" }""")
            .Replace("\"maxDelayed\": 2", "\"maxDelayed\": 2, \"longProbability\": 0.3, \"longMax\": 30"), "as-posted", Armv8);
        var random = SmmuActors.Model.Exploration.RandomBatch.Run(model, 3, 0, 3000).Outcomes.Keys.ToHashSet();
        Assert.Contains("cpu1:x=0 cpu1:x=1 cpu1:x=2", random);
        Assert.DoesNotContain(random, o => o.Contains("x=2 cpu1:x=1") || o.Contains("x=1 cpu1:x=0") || o.Contains("x=2 cpu1:x=0"));
        Assert.Subset(Outcomes(Litmus("""{ "op": "store", "var": "x", "value": 1 }, { "op": "store", "var": "x", "value": 2 }""",
            """{ "op": "load", "var": "x" }, { "op": "load", "var": "x" }, { "op": "load", "var": "x" }"""), Armv8), random);
    }

    [Fact]
    public void LoadValuesAreReportedInProgramOrderWhateverOrderTheyAreAnswered()
    {
        var o = Outcomes(Mp(""), Armv8);
        Assert.Equal(4, o.Count);
        Assert.All(o, k => Assert.Matches("^cpu1:y=[01] cpu1:x=[01]$", k));
    }

    /// <summary>
    /// A driver op starts only once the thread's loads are answered, which Arm does not require without a full barrier
    /// between: such a workload is flagged, so that a clean search is not called a proof. The shipped ones have no load.
    /// </summary>
    [Fact]
    public void ADriverOpAfterALoadWithNoFullBarrierIsFlagged()
    {
        static string Shape(string barrier) => $$"""
            { "name": "load-then-sync", "queueShift": 3, "vars": ["x"],
              "threads": [ { "name": "cpu0", "program": [ { "op": "load", "var": "x" }, {{barrier}} { "op": "sync" } ] } ] }
            """;
        Assert.True(Scenarios.Inline(Shape(""), "as-posted", Armv8).WorkloadLoadsStrongerThanArmv8);
        Assert.True(Scenarios.Inline(Shape(DmaWmb), "as-posted", Armv8).WorkloadLoadsStrongerThanArmv8);
        Assert.False(Scenarios.Inline(Shape(Mb), "as-posted", Armv8).WorkloadLoadsStrongerThanArmv8);
        Assert.False(Scenarios.Inline(Shape(""), "as-posted").WorkloadLoadsStrongerThanArmv8);
        foreach (var file in new[] { "reviewer-race.json", "full-queue.json", "storm.json", "pm-cycles.json", "cons-wait.json" })
            Assert.False(Scenarios.Shipped(file, "recheck-mb", Armv8).WorkloadLoadsStrongerThanArmv8);
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
