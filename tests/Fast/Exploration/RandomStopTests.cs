using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
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

    /// <summary>
    /// Stopped at step <paramref name="step"/> of run <paramref name="run"/> (counted without the witnesses' re-runs, which
    /// record their choices), which the stop then cuts short.
    /// </summary>
    static async Task<BatchResult> StoppedWithin(int run, long step, bool partialOnStop, bool inWitness = false)
    {
        using var stop = new CancellationTokenSource();
        var ending = new EndWhenStopped(stop.Token);
        int started = -1;
        return await RandomBatch.RunAsync(Model, 1, 0, 2000, (s, record) =>
        {
            var stopper = record == inWitness && ++started == run ? new StopAt(step, stop) : null;
            return ValueTask.FromResult(LocalEngine.Run(Model, s, recordChoices: record, pruner: ending, observer: stopper));
        }, cancel: stop.Token, partialOnStop: partialOnStop);
    }

    sealed class StopAt(long step, CancellationTokenSource stop) : IRunObserver
    {
        public void Delivered(long at, in Message m, IReadOnlyList<ModelEvent> events, IReadOnlyList<Violation> newViolations)
        {
            if (at == step) stop.Cancel();
        }

        public void Finished(RunResult result) { }
    }

    /// <summary>
    /// A run some seconds long made a stop wait for it (25 s for one workload): the stop cuts the run under way at its next
    /// step, and the batch counts the runs before it only, never the cut one with the steps it had made.
    /// </summary>
    [Fact]
    public async Task A_stop_within_a_run_cuts_it_and_counts_only_the_runs_before_it()
    {
        var partial = await StoppedWithin(run: 300, step: 10, partialOnStop: true);
        var whole = RandomBatch.Run(Model, 1, 0, 300);
        Assert.Equal(300, partial.Runs);
        Assert.Equal(whole.Steps, partial.Steps);
        Assert.NotEmpty(partial.ViolationsByKind);
        Assert.Equal(whole.ViolationsByKind, partial.ViolationsByKind);
        Assert.Equal(whole.Witnesses.Keys.Order(), partial.Witnesses.Keys.Order());
    }

    /// <summary>
    /// A stop while the first witness is recorded again cuts that re-run: the run it repeats goes uncounted too, or its kind
    /// would be counted with no counterexample to show.
    /// </summary>
    [Fact]
    public async Task A_stop_within_a_witness_s_re_run_counts_neither_it_nor_its_run()
    {
        var partial = await StoppedWithin(run: 0, step: 10, partialOnStop: true, inWitness: true);
        Assert.Empty(partial.ViolationsByKind);
        Assert.Empty(partial.Witnesses);
        // The runs before it show nothing; with it, the campaign shows its first violation.
        Assert.Empty(RandomBatch.Run(Model, 1, 0, partial.Runs).ViolationsByKind);
        Assert.NotEmpty(RandomBatch.Run(Model, 1, 0, partial.Runs + 1).ViolationsByKind);
    }

    [Fact]
    public async Task A_stop_within_a_run_of_a_batch_that_counts_only_whole_throws() =>
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await StoppedWithin(run: 300, step: 10, partialOnStop: false));

    /// <summary>
    /// The batch this process runs (a local campaign's) cuts its run at the stop: one run of 7,800,001 steps, stopped a
    /// fifth of a second after it starts, counts nothing. It ran to its end (some seconds; a machine eight times
    /// faster than this one's tests would end it before the stop) and counted it. A worker thread that had not begun the
    /// run 0.2 s after saying so would make the test pass without a run to cut.
    /// </summary>
    [Fact]
    public async Task A_local_batch_stopped_within_a_long_run_counts_no_run()
    {
        var model = Scenarios.Inline(LongRunWorkload.Json());
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batch = Task.Factory.StartNew(() =>
        {
            started.SetResult();
            return RandomBatch.Run(model, 1, 0, 1, stop.Token, partialOnStop: true);
        }, TaskCreationOptions.LongRunning);
        await started.Task;
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        stop.Cancel();
        var r = await batch;
        Assert.Equal(0, r.Runs);
        Assert.Equal(0, r.Steps);
    }
}
