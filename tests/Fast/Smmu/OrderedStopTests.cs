using SmmuActors.Tests.Support;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// ordered-stop-set's fetch_or is the kernel's fully ordered atomic_fetch_or, "like having an smp_mb() before and an
/// smp_mb() after" it (Documentation/atomic_t.txt): the suspend's next access after it is a full barrier, and after
/// the relaxed form it is the wait for owner_prod.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class OrderedStopTests
{
    [Theory]
    [InlineData("ordered-stop", MessageKind.Barrier)]
    [InlineData("as-posted", MessageKind.Wait)]
    public void TheSuspendsAccessAfterItsStopSetIs(string preset, MessageKind next)
    {
        var model = Scenarios.Shipped("reviewer-race.json", preset);
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var deliveries = Scenarios.Random(model, seed, trace: true).Trace!.Entries.Select(e => e.Message).ToList();
            int stop = deliveries.FindIndex(m => m.Kind == MessageKind.FetchOr && m.Loc == Layout.Llq);
            Assert.True(stop >= 0, $"seed {seed}: no STOP set");
            byte pm = deliveries[stop].Src;
            var after = deliveries.Skip(stop + 1).First(m => m.Src == pm);
            Assert.Equal(next, after.Kind);
            Assert.Equal(preset == "ordered-stop", (deliveries[stop].Order & Ordering.AfterStores) != 0);
        }
    }
}
