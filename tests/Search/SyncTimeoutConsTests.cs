using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// What a CMD_SYNC that timed out leaves in llq.cons. __arm_smmu_cmdq_poll_until_msi gives up with llq->cons =
/// llq->prod, the CMD_SYNC's index; __arm_smmu_cmdq_poll_until_consumed with the last CONS register value it read, short
/// of the CMD_SYNC when the SMMU stopped before it. The model wrote the CMD_SYNC's index in both modes, a later cons
/// than the CONS polling driver keeps, and so freed a slot the driver never frees (the liveness audit).
/// </summary>
[Trait("Suite", "Search")]
public sealed class SyncTimeoutConsTests
{
    /// <summary>
    /// A two-slot queue. cpu0 submits a TLBI with a CMD_SYNC, then a lone CMD_SYNC; the power manager suspends and never
    /// resumes. Without the gate, cpu0's first batch can go in after the SMMU powered off: its CMD_SYNC times out.
    /// </summary>
    const string SyncThenSync = """
        { "name": "sync-then-sync", "queueShift": 1,
          "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
          "threads": [
            { "name": "cpu0", "program": [ { "op": "tlbi", "iova": "A", "count": 1, "sync": true }, { "op": "sync" } ] },
            { "name": "pm", "program": [ { "op": "suspend" } ] } ],
          "delays": { "min": 1, "max": 3, "longProbability": 0.05, "longMax": 200, "menu": [1, 30, 200], "maxDelayed": 2 },
          "bounds": { "maxSteps": 5000, "maxStates": 5000000 } }
        """;

    /// <summary>
    /// CONS polling: the last sharer out writes the CONS it read (0, the SMMU off before the TLBI) into llq.cons, so the
    /// queue still looks full with both slots reserved; the lone CMD_SYNC waits for room, refreshing llq.cons from the
    /// unchanged CONS register, forever. MSI polling writes the CMD_SYNC's index (1): one slot looks free, the lone
    /// CMD_SYNC goes in and only times out.
    /// </summary>
    [Theory]
    [InlineData("sync-mode=cons", true)]
    [InlineData("sync-mode=msi", false)]
    public void A_timed_out_cons_poll_keeps_the_last_cons_it_read(string mode, bool waitsForever)
    {
        var model = Scenarios.Inline(SyncThenSync, "no-gate", mode);
        var search = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None);
        Assert.True(search.Exhausted, search.IncompleteReason);
        var kinds = search.Result.ViolationsByKind.Keys.ToHashSet();
        Assert.Contains(ViolationKind.SyncTimeout, kinds);
        Assert.Equal(waitsForever, kinds.Contains(ViolationKind.WaitForever));
        if (waitsForever) Searched.WitnessReplays(model, search, ViolationKind.WaitForever);
    }
}
