using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// What a read of a powered-off SMMU's register returns is open (no fact found), so it is a switch, off-reads. On
/// full-queue a CPU waiting for space refreshes llq.cons from the CONS register (readl_relaxed, WRITE_ONCE) and may do
/// so after the suspend powered the SMMU off. stop-after-full-wait, the fix for that path, closes clean when the
/// register keeps its value; when the read returns 0, the refresh writes llq.cons = 0, resume's reset loads CONS from
/// it, and the SMMU runs consumed commands again (queue-invariant) and the queue's accounting never recovers (lost
/// commands, the power manager's own CMD_SYNC waiting forever).
/// </summary>
[Trait("Suite", "Search")]
public sealed class OffReadsTests
{
    [Theory]
    [InlineData("kept", "")]
    [InlineData("zero", "deadlock,lost-command,queue-invariant,sync-timeout,wait-forever")]
    public void The_full_queue_fix_holds_only_if_a_powered_off_SMMU_reads_what_it_held(string offReads, string kinds)
    {
        var model = Scenarios.Shipped("full-queue.json", "stop-after-full-wait", $"off-reads={offReads}");
        var r = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, workers: 2);
        Assert.True(r.Exhausted, r.IncompleteReason);
        Assert.Equal(kinds, string.Join(",", r.Result.ViolationsByKind.Keys.Select(k => Naming.Kebab(k)).Order()));
        // Either answer rests on the value off-reads chose, so the clean one is no proof.
        Assert.True(model.RegisterReadsMayBeUnknown(r.Result.Coverage));
    }
}
