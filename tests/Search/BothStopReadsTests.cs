using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// v8 reads STOP twice on an unmap's invalidation with nothing ordering the PTE store first: in arm_smmu_cmdq_can_elide()
/// where the invalidation is requested, then in the CAS loop (protocol.md §3.5; Daniel Mentz: "I have the same concerns
/// with arm_smmu_cmdq_can_elide()"). The reviewer's dma_mb re-check closes the stale translation only where both reads
/// have it, or with the helper gone; in the CAS loop alone, the helper's read still sees STOP set and elides the TLBI.
/// Under in-order loads and under Armv8's rules alike.
/// </summary>
[Trait("Suite", "Search")]
public sealed class BothStopReadsTests
{
    [Theory]
    [InlineData("early-elide=plain", "loads=in-order", "stale-translation")]
    [InlineData("early-elide=plain", "loads=armv8", "stale-translation")]
    [InlineData("early-elide=mb", "loads=in-order", "")]
    [InlineData("early-elide=mb", "loads=armv8", "")]
    [InlineData("early-elide=off", "loads=in-order", "")]
    [InlineData("early-elide=off", "loads=armv8", "")]
    public void The_recheck_closes_the_race_only_at_every_stop_read(string helper, string loads, string kinds)
    {
        var model = Scenarios.Shipped("reviewer-race.json", "recheck-mb", helper, loads);
        var r = Searched.ReviewerRace("recheck-mb", helper, loads);
        Assert.Equal(kinds, Searched.Kinds(r));
        if (kinds == "") return;
        // The elision that leaves it is the helper's: the witness takes the early-elide branch, not the CAS loop's elide.
        var witness = UntimedReplay.Run(model, r.Result.Witnesses[ViolationKind.StaleTranslation].Choices, probe: true, recordTrace: false, recordChoices: false);
        var taken = Explorer.Branches(witness.Coverage, true).ToList();
        Assert.Contains("early elide", taken);
        Assert.DoesNotContain("elide", taken);
    }
}
