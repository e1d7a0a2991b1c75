using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Exploration;

/// <summary>
/// A stop in the middle of a random batch: Ctrl+C on a local campaign dropped each worker's batch under way (up to 2,000
/// runs, violations included), so a campaign stopped two-thirds through printed "0 runs" and no violation. This process's
/// batches now return the runs they finished; a batch that may go on elsewhere (a silo's) still counts only whole.
/// </summary>
[Trait("Suite", "Fast")]
public class RandomStopTests
{
    static readonly ScenarioModel Model = Scenarios.Shipped("reviewer-race.json", "gate-outside-cas");

    static ValueTask<BatchResult> StoppedAfter(int runs, bool partialOnStop)
    {
        using var stop = new CancellationTokenSource();
        int done = 0;
        return RandomBatch.RunAsync(Model, 1, 0, 2000, (s, record) => ValueTask.FromResult(LocalEngine.Run(Model, s, recordChoices: record)),
            (_, _) => { if (++done == runs) stop.Cancel(); }, stop.Token, partialOnStop);
    }

    [Fact]
    public async Task A_batch_kept_on_a_stop_returns_the_runs_it_finished_with_their_violations()
    {
        var partial = await StoppedAfter(300, partialOnStop: true);
        Assert.Equal(300, partial.Runs);
        // The same as the first 300 runs of the campaign run to their end: the same violations and witnesses.
        var whole = RandomBatch.Run(Model, 1, 0, 300);
        Assert.Equal(whole.ViolationsByKind, partial.ViolationsByKind);
        Assert.NotEmpty(partial.ViolationsByKind);
        Assert.Equal(whole.Witnesses.Keys.Order(), partial.Witnesses.Keys.Order());
        Assert.Equal(whole.Steps, partial.Steps);
    }

    [Fact]
    public async Task A_batch_that_counts_only_whole_still_throws_on_a_stop() =>
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await StoppedAfter(300, partialOnStop: false));
}
