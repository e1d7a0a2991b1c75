using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// Regression: the former search fixed every CPU's speed apart from start offsets, so it never let a CPU
/// stall between its STOP read and its CAS and called gate-outside-cas clean of everything but the race.
/// The search over every allowed order lets cpu0 read STOP clear, stall across the whole suspend, and
/// reserve after the drain.
/// </summary>
[Trait("Suite", "Search")]
public sealed class StalledCpuTests
{
    [Theory]
    [InlineData("gate-outside-cas")]
    [InlineData("no-gate")]
    public void ACpuStalledBetweenItsStopReadAndItsCasCommitsAfterTheDrain(string preset)
    {
        var r = SearchCache.Of("reviewer-race", preset);
        Assert.True(r.Exhausted);
        var w = r.Result.Witnesses[ViolationKind.CommitAfterDrain];
        var model = Scenarios.Shipped("reviewer-race.json", preset);
        var run = Counterexample.Replay(model, w.Choices, untimed: true, "commit-after-drain", recordTrace: true);
        var entries = run.Trace!.Entries;
        long drained = entries.First(e => e.Events.Any(x => x.Kind() == EventKind.Branch && x.A == (long)ProtocolBranch.DrainFinished)).Step;
        var violation = Assert.Single(run.Violations, v => v.Kind == ViolationKind.CommitAfterDrain);
        Assert.True(violation.Step > drained, $"the CAS at step {violation.Step} lands after the drain finished at step {drained}");
    }

    [Fact]
    public void ATimeBasedWitnessIsCheckedAfreshWhereItStops()
    {
        // The sync-timeout witness ends in a state where cpu0's CMD_SYNC can never complete; replaying it
        // re-derives that by searching every execution from there, and reports nothing without the probe.
        var r = SearchCache.Of("reviewer-race", "gate-outside-cas");
        var w = r.Result.Witnesses[ViolationKind.SyncTimeout];
        var model = Scenarios.Shipped("reviewer-race.json", "gate-outside-cas");
        var probed = UntimedReplay.Run(model, w.Choices, probe: true, recordTrace: false, recordChoices: false);
        Assert.Contains(probed.Violations, v => v.Kind == ViolationKind.SyncTimeout);
        var unprobed = UntimedReplay.Run(model, w.Choices, probe: false, recordTrace: false, recordChoices: false);
        Assert.DoesNotContain(unprobed.Violations, v => v.Kind == ViolationKind.SyncTimeout);
    }
}
