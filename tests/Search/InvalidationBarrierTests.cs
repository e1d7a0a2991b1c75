namespace SmmuActors.Tests.Search;

/// <summary>
/// The smp_mb that begins arm_smmu_domain_inv_range since the 2026 invalidation-array series (protocol.md §2.10,
/// switch <c>inv-barrier</c>): between the unmap's PTE store and the STOP read it is the barrier the reviewer found
/// missing, so on a base that has it the race is closed wherever STOP is read after it, and open again for a STOP
/// check that comes before it.
/// </summary>
[Trait("Suite", "Search")]
public sealed class InvalidationBarrierTests
{
    // Under Armv8's own rules: cpu0's W PTE; DMB ISH; R llq (STOP set) is read-before the power manager's clearing of STOP,
    // which its smp_mb orders before SMMUEN=1, which the walker's read of the PTE follows: a cycle aarch64.cat forbids, so
    // the walker cannot read the old PTE after resume. Without the barrier the same search finds Daniel Mentz's race.
    [Fact]
    public void As_posted_on_a_base_with_the_invalidation_smp_mb_holds_under_armv8()
    {
        Assert.Equal("", Searched.Kinds(Searched.ReviewerRace("as-posted", "loads=armv8", "inv-barrier=smp-mb")));
        Assert.Equal("stale-translation", Searched.Kinds(Searched.ReviewerRace("as-posted", "loads=armv8")));
    }

    // Where v8 puts its early can-elide check is not known. Before the smp_mb it reads STOP with nothing ordering the PTE
    // store first, the race one step earlier; after it, or with the check's own dma_mb re-check, or without the check, it
    // is closed.
    [Theory]
    [InlineData("as-posted", "inv-barrier=smp-mb-after-early-check", "stale-translation")]
    [InlineData("as-posted", "inv-barrier=smp-mb", "")]
    [InlineData("early-elide-mb", "inv-barrier=smp-mb-after-early-check", "")]
    [InlineData("no-early-elide", "inv-barrier=smp-mb-after-early-check", "")]
    public void The_early_check_is_safe_only_after_the_barrier_or_with_its_own(string preset, string barrier, string kinds) =>
        Assert.Equal(kinds, Searched.Kinds(Searched.ReviewerRace(preset, barrier)));
}
