using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// What a power-down does to a CMD_SYNC's MSI write that has not yet left the SMMU is not stated (SMMUv3 §6.3.9.3 says
/// only that CMDQEN=0 does not guarantee an outstanding MSI completed; §4.7.3 lets CONS pass a CMD_SYNC before its MSI
/// is observable), so it is a switch (<c>msi-power-off</c>). Under Armv8's loads the suspend's relaxed quiesce may read
/// the lock before cpu0's shared lock is visible, so the SMMU is powered off while cpu0 still waits for its CMD_SYNC's
/// MSI: harmless if the MSI lands anyway, a CMD_SYNC that never completes if it is lost. An smp_mb before the quiesce
/// (quiesce-order=smp-mb) orders its read after the drain's polls and closes the gap (found by the SMMU audit).
/// </summary>
[Trait("Suite", "Search")]
public sealed class MsiPowerOffTests
{
    [Fact]
    public void A_lost_msi_needs_the_quiesce_ordered_after_the_drain()
    {
        Assert.Equal("", Searched.Kinds(Searched.ReviewerRace("recheck-mb", "loads=armv8")));
        var lost = Searched.ReviewerRace("recheck-mb", "loads=armv8", "msi-power-off=lost");
        Assert.Equal("sync-timeout", Searched.Kinds(lost));
        Assert.Equal("", Searched.Kinds(Searched.ReviewerRace("recheck-mb", "loads=armv8", "msi-power-off=lost", "quiesce-order=smp-mb")));

        // The witness replays to a state where cpu0's CMD_SYNC can never complete, checked afresh there.
        Searched.WitnessReplays(Scenarios.Shipped("reviewer-race.json", "recheck-mb", "loads=armv8", "msi-power-off=lost"), lost, ViolationKind.SyncTimeout);
    }

    /// <summary>
    /// With CONS advanced at fetch the SMMU runs one command at a time, so a CMD_SYNC is complete once read, and the drain
    /// may pass it before the relaxed quiesce lets the power-off in under cpu0: its MSI lands, as msi-power-off=lands says
    /// (it once left only at a later step, which the power-off cancelled whatever the switch said, and the preset showed
    /// sync-timeout); with lost it may not, as under recheck-mb; ordering the quiesce leaves only the stale translation.
    /// </summary>
    [Fact]
    public void Under_cons_at_fetch_a_consumed_cmd_syncs_msi_follows_the_switch()
    {
        Assert.Equal("stale-translation", Searched.Kinds(Searched.ReviewerRace("cons-at-fetch", "loads=armv8")));
        var lost = Searched.ReviewerRace("cons-at-fetch", "loads=armv8", "msi-power-off=lost");
        Assert.Equal("stale-translation,sync-timeout", Searched.Kinds(lost));
        Searched.WitnessReplays(Scenarios.Shipped("reviewer-race.json", "cons-at-fetch", "loads=armv8", "msi-power-off=lost"), lost, ViolationKind.SyncTimeout);
        Assert.Equal("stale-translation", Searched.Kinds(Searched.ReviewerRace("cons-at-fetch", "loads=armv8", "msi-power-off=lost", "quiesce-order=smp-mb")));
    }

    /// <summary>Under in-order loads the quiesce reads the lock only after the drain, and waits for cpu0 to leave: the MSI cannot be lost to a waiter.</summary>
    [Fact]
    public void Under_in_order_loads_the_quiesce_waits_for_the_msi()
    {
        Assert.Equal("", Searched.Kinds(Searched.ReviewerRace("recheck-mb", "msi-power-off=lost")));
    }
}
