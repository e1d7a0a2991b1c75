namespace SmmuActors.Tests.Search;

/// <summary>
/// The owner's wait for owner_prod compared as whole words (switch <c>owner-prod-compare</c>, protocol.md §3.4): v8 masks
/// the flags out of owner_prod, while a reservation made with STOP set keeps STOP in its start, so only such reservations
/// can tell the two compares apart.
/// </summary>
[Trait("Suite", "Search")]
public sealed class OwnerProdCompareTests
{
    // The drain's CMD_SYNC is reserved after STOP is set (it bypasses the gate), so its start carries STOP; it owns its
    // batch, and its wait for owner_prod, which holds the masked target, never ends: the suspend hangs (wait-forever,
    // deadlock) with its CMD_SYNC unpublished (lost-command), and no resume ever comes to refill the TLB.
    [Fact]
    public void A_drain_by_cmd_sync_hangs_when_the_owner_compares_whole_words()
    {
        Assert.Equal("stale-translation", Searched.Kinds(Searched.ReviewerRace("drain-by-sync")));
        Assert.Equal("deadlock,lost-command,wait-forever", Searched.Kinds(Searched.ReviewerRace("drain-by-sync", "owner-prod-compare=word")));
    }

    // A CPU past the gate that reserves while STOP is set meets the same wait.
    [Fact]
    public void A_reservation_past_the_gate_hangs_its_owner_too()
    {
        var index = Searched.Kinds(Searched.ReviewerRace("gate-outside-cas"));
        var word = Searched.Kinds(Searched.ReviewerRace("gate-outside-cas", "owner-prod-compare=word"));
        Assert.DoesNotContain("wait-forever", index);
        Assert.Contains("wait-forever", word);
    }

    // As posted no reservation carries STOP (the gate is in the CAS loop and the drain polls CONS): the same space either way.
    [Fact]
    public void As_posted_the_compare_changes_nothing()
    {
        var index = Searched.ReviewerRace("as-posted");
        var word = Searched.ReviewerRace("as-posted", "owner-prod-compare=word");
        Assert.Equal(index.States, word.States);
        Assert.Equal(Searched.Kinds(index), Searched.Kinds(word));
    }
}
