using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// The SMMU as loose as SMMUv3 allows (cons-advance=any: commands read ahead, taking effect in any order until a
/// CMD_SYNC, CONS passing a command once it was read, a CMD_SYNC once it completed) against the default, which moves
/// CONS past a command only once it took effect. Every batch of reviewer-race ends with a CMD_SYNC, whose consumption
/// proves the batch took effect (§4.7.3, §4.8), and the drain waits for CONS to pass it: so each preset keeps its
/// kinds. Under Armv8's loads the reviewer's re-check then holds only while a CMD_SYNC's MSI survives a power-off, or
/// with the suspend's quiesce ordered after the drain.
/// </summary>
[Trait("Suite", "Search")]
public sealed class ReadAheadVerdictTests
{
    public static TheoryData<string> Presets() => new(Variants.Presets.Select(p => p.Name).Where(p => p != "cons-at-fetch"));

    [Theory]
    [MemberData(nameof(Presets))]
    public void Every_reviewer_race_preset_keeps_its_kinds_when_the_SMMU_reads_ahead(string preset)
    {
        var strict = Searched.ReviewerRace(preset);
        var loose = Searched.ReviewerRace(preset, "cons-advance=any");
        Assert.Equal(Searched.Kinds(strict), Searched.Kinds(loose));
        // And with a power-off losing an MSI not yet sent: under in-order loads the quiesce waits for every CMD_SYNC waiter.
        Assert.Equal(Searched.Kinds(strict), Searched.Kinds(Searched.ReviewerRace(preset, "cons-advance=any", "msi-power-off=lost")));
        // The looser SMMU reaches states the default cannot (CONS past a TLBI that has not taken effect, among others).
        Assert.True(loose.States > strict.States, $"{loose.States} states against {strict.States}");
    }

    /// <summary>
    /// noncoherent-walker polls CONS (no MSI to lose): as loose as Arm and SMMUv3 allow it is clean, and with the suspend's
    /// quiesce ordered after the drain no CPU reads a register whose value no fact gives, so it HOLDS (with the relaxed
    /// quiesce cpu0's CMD_SYNC wait may go on polling CONS of a powered-off SMMU: the search is flagged).
    /// </summary>
    [Fact]
    public void Under_Armv8_the_noncoherent_walker_holds_with_a_loose_SMMU_and_the_quiesce_ordered()
    {
        string[] loosest = ["loads=armv8", "cons-advance=any", "msi-power-off=lost", "quiesce-order=smp-mb", "rmw-write=split", "cons-writeback=off"];
        var proof = Searched.ReviewerRace("noncoherent-walker", loosest);
        Assert.True(proof.Exhausted, proof.IncompleteReason);
        Assert.Equal("", Searched.Kinds(proof));
        var model = Scenarios.Shipped("reviewer-race.json", "noncoherent-walker", loosest);
        Assert.False(model.RmwWritesStrongerThanArmv8 || model.SmmuStricterThanSmmuV3 || model.MsiSurvivesPowerOff || model.OwnerProdWaitsStrongerThanArmv8
            || model.WorkloadLoadsStrongerThanArmv8 || model.ValidMapPollStrongerThanArmv8
            || model.RegisterReadsMayBeUnknown(proof.Result.Coverage) || model.ConsWritebackUnsourced);
        var relaxed = Scenarios.Shipped("reviewer-race.json", "noncoherent-walker", "loads=armv8", "cons-advance=any", "msi-power-off=lost");
        Assert.True(relaxed.RegisterReadsMayBeUnknown(Searched.ReviewerRace("noncoherent-walker", "loads=armv8", "cons-advance=any", "msi-power-off=lost").Result.Coverage));
    }

    [Fact]
    public void Under_Armv8_the_recheck_holds_with_a_loose_SMMU_only_if_its_MSI_survives_or_the_quiesce_is_ordered()
    {
        Assert.Equal("", Searched.Kinds(Searched.ReviewerRace("recheck-mb", "loads=armv8", "cons-advance=any")));
        var lost = Searched.ReviewerRace("recheck-mb", "loads=armv8", "cons-advance=any", "msi-power-off=lost");
        Assert.Equal("sync-timeout", Searched.Kinds(lost));
        // The proof the README prints HOLDS for: with the CPUs' relaxed RMWs also writing apart from their reads, as Arm
        // allows, which admits every execution the default's RMWs do and more, and without the suspend's CONS write-back,
        // which no source of v8 shows.
        string[] loosest = ["loads=armv8", "cons-advance=any", "msi-power-off=lost", "quiesce-order=smp-mb", "rmw-write=split", "cons-writeback=off"];
        var proof = Searched.ReviewerRace("recheck-mb", loosest);
        Assert.Equal("", Searched.Kinds(proof));
        var model = Scenarios.Shipped("reviewer-race.json", "recheck-mb", loosest);
        Assert.False(model.RmwWritesStrongerThanArmv8 || model.SmmuStricterThanSmmuV3 || model.MsiSurvivesPowerOff || model.OwnerProdWaitsStrongerThanArmv8
            || model.WorkloadLoadsStrongerThanArmv8 || model.ValidMapPollStrongerThanArmv8
            || model.RegisterReadsMayBeUnknown(proof.Result.Coverage) || model.ConsWritebackUnsourced);

        Searched.WitnessReplays(Scenarios.Shipped("reviewer-race.json", "recheck-mb", "loads=armv8", "cons-advance=any", "msi-power-off=lost"),
            lost, ViolationKind.SyncTimeout);
    }

    /// <summary>
    /// A TLBI with no CMD_SYNC after it, racing a suspend: the SMMU may read and consume it, and the drain then powers the
    /// SMMU off before it took effect. That is allowed (§4.8: consuming a TLBI means nothing; the driver asked for no
    /// completion) and is no lost command; a lost CMD_SYNC still is (the tests above).
    /// </summary>
    [Theory]
    [InlineData("cons-advance=completion")]
    [InlineData("cons-advance=any")]
    public void A_consumed_TLBI_a_power_off_cancels_is_no_lost_command(string consAdvance)
    {
        var model = Scenarios.Inline("""
            { "name": "tlbi-nosync", "queueShift": 3,
              "iovas": [ { "name": "A", "mapped": true, "inTlb": true }, { "name": "B", "mapped": true, "inTlb": true } ],
              "threads": [
                { "name": "cpu1", "program": [ { "op": "tlbi", "iova": "B", "count": 1, "sync": false } ] },
                { "name": "pm", "program": [ { "op": "suspend" }, { "op": "idle", "ticks": 20 }, { "op": "resume" } ] } ],
              "delays": { "min": 1, "max": 3, "longProbability": 0.05, "longMax": 200, "menu": [1, 30, 200], "maxDelayed": 2 } }
            """, "recheck-mb", consAdvance);
        var search = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None);
        Assert.True(search.Exhausted, search.IncompleteReason);
        Assert.Equal("", Searched.Kinds(search));
    }
}
