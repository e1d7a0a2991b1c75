using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;
using Xunit;

namespace SmmuActors.Tests.Search;

/// <summary>
/// Each release and the dma_wmb the mainline CMDQ relies on (protocol.md §4.2), weakened by its switch, loses a
/// command on the storm workload (mainline, no power management). The counterexamples were found by 100,000 random
/// runs with seed 1 (docs/model.md, "Barrier switches") and are replayed here; each replay must show the reordering
/// the barrier forbids (a later access of one CPU delivered before an earlier one), so the loss is the barrier's.
/// </summary>
[Trait("Suite", "Search")]
public sealed class BarrierSwitchTests
{
    /// <summary>True when a message of one CPU matching <paramref name="later"/> was delivered before one it sent earlier matching <paramref name="earlier"/>.</summary>
    static bool Overtook(RunResult r, Func<Message, bool> earlier, Func<Message, bool> later)
    {
        var delivered = r.Trace!.Entries.Select(e => e.Message).ToList();
        for (int i = 0; i < delivered.Count; i++)
        {
            var l = delivered[i];
            if (l.Src < Layout.FirstThread || !later(l)) continue;
            if (delivered.Skip(i + 1).Any(e => e.Src == l.Src && e.Seq < l.Seq && earlier(e))) return true;
        }
        return false;
    }

    /// <summary>The accesses the tests name, by the driver step that makes them.</summary>
    static Func<Message, bool> Access(string name, Layout l) => name switch
    {
        "command store" => m => m.Kind == MessageKind.Store && m.Loc >= l.SlotBase && m.Loc < l.PteBase,
        "valid flip" => m => m.Kind == MessageKind.Xor && m.Loc >= Layout.ValidMapBase && m.Loc < l.SlotBase,
        "PROD doorbell" => m => m.Kind == MessageKind.MmioWrite && m.Dst == Layout.SmmuActor && m.Loc == (int)SmmuRegister.Prod,
        "owner_prod store" => m => m.Kind == MessageKind.Store && m.Loc == Layout.OwnerProd,
        "llq.cons store" => m => m.Kind == MessageKind.StoreCons,
        "shared unlock" => m => m.Kind == MessageKind.Add && m.Loc == Layout.Lock,
        "exclusive unlock" => m => m.Kind == MessageKind.AndNot && m.Loc == Layout.Lock,
        _ => throw new ArgumentException(name),
    };

    // Without dma_wmb a valid bit lands before the command it publishes: the owner rings PROD, the SMMU fetches the old slot.
    [InlineData("storm-valid-barrier-lost-command.json", "valid-barrier=none", "command store", "valid flip")]
    // A relaxed owner_prod store can land before the PROD doorbell: the next owner rings a larger PROD first and the older
    // doorbell then moves PROD back, so the SMMU skips or re-runs slots.
    [InlineData("storm-owner-prod-store-lost-command.json", "owner-prod-store=relaxed", "PROD doorbell", "owner_prod store")]
    // The last waiter's llq.cons store lands after its unlock: others wrap the queue meanwhile, the old cons then makes
    // it look emptier than it is, and a slot the SMMU has not fetched is overwritten.
    [InlineData("storm-shared-unlock-lost-command.json", "shared-unlock=relaxed", "llq.cons store", "shared unlock")]
    // The same for the full-queue refresher's cons store and its exclusive unlock.
    [InlineData("storm-exclusive-unlock-lost-command.json", "exclusive-unlock=relaxed", "llq.cons store", "exclusive unlock")]
    [Theory]
    public void Each_weakened_barrier_loses_a_command_through_the_reordering_it_allows(string file, string setting, string earlier, string later)
    {
        var (model, run) = SavedCounterexamples.Replay(file);
        Assert.Contains(setting, Variants.AllSettings(model.Variant));
        Assert.Contains(run.Violations, v => v.Kind == ViolationKind.LostCommand);
        Assert.True(Overtook(run, Access(earlier, model.Layout), Access(later, model.Layout)),
            $"{setting}: the replay must deliver a CPU's {later} before its earlier {earlier}, which the barrier forbids");
    }

    [Fact]
    public void With_every_barrier_in_place_storm_stays_clean()
    {
        var model = Scenarios.Shipped("storm.json", "no-gate");
        Assert.Empty(RandomBatch.Run(model, 1, 0, 20000).ViolationsByKind);
    }
}
