using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>Runs [from, to) of a seeded random campaign. Run i always has the same seed, on any engine.</summary>
public static class RandomBatch
{
    /// <summary>
    /// The one batch loop: <paramref name="run"/> executes run i from its strategy (in process, or on grains). A stop throws,
    /// dropping the batch, unless <paramref name="partialOnStop"/>: then it ends the batch at the run under way and
    /// returns the runs done before it, for a caller that only merges them into a stopped campaign's result (a campaign
    /// that may go on elsewhere counts a batch done only whole). A run that <paramref name="run"/> cut short at the stop
    /// (it comes back pruned) is never counted.
    /// </summary>
    public static async ValueTask<BatchResult> RunAsync(ScenarioModel model, ulong seed, long from, long to,
        Func<IStrategy, bool, ValueTask<RunResult>> run, Action<long, RunResult>? each = null, CancellationToken cancel = default, bool partialOnStop = false)
    {
        var result = new BatchResult();
        for (long i = from; i < to; i++)
        {
            if (partialOnStop && cancel.IsCancellationRequested) break;
            cancel.ThrowIfCancellationRequested();
            try
            {
                var r = await run(Strategy(model, seed, i), false);
                if (Stopped(r)) break;
                // Choices are recorded only for a witness: re-running a seed gives the same run. That re-run cut short, the
                // run goes uncounted with it, whose kind would otherwise be counted with no counterexample to show.
                RunResult? recorded = result.NeedsWitness(i, r) ? await run(Strategy(model, seed, i), true) : null;
                if (recorded is not null && Stopped(recorded)) break;
                each?.Invoke(i, r);
                result.Add(i, r, recorded?.Choices);
            }
            catch (Exception e) when (e is not (OperationCanceledException or ModelFaultException))
            {
                throw new ModelFaultException($"random run {i:N0} of the campaign with seed {seed}", $"--seed {RandomStrategy.RunSeed(seed, i)}", e);
            }
        }
        return result;

        bool Stopped(RunResult r)
        {
            if (!r.Pruned || !cancel.IsCancellationRequested) return false;
            if (!partialOnStop) cancel.ThrowIfCancellationRequested();
            return true;
        }
    }

    /// <summary>
    /// The same batch with its runs executed together (the grain engine's lockstep sweeps): <paramref name="runAll"/>
    /// executes every strategy it is given and returns the results in order. Gives what <see cref="RunAsync"/> gives.
    /// </summary>
    public static async ValueTask<BatchResult> RunTogetherAsync(ScenarioModel model, ulong seed, long from, long to,
        Func<IStrategy[], bool, ValueTask<RunResult[]>> runAll, Action<long, RunResult>? each = null)
    {
        var runs = await runAll(Enumerable.Range(0, (int)(to - from)).Select(i => (IStrategy)Strategy(model, seed, from + i)).ToArray(), false);
        // A run is a witness when it is the first of the batch to show one of its kinds, as NeedsWitness decides run by run:
        // that is known from the unrecorded runs, so the witnesses are re-run together too, with their choices recorded.
        var shown = new HashSet<ViolationKind>();
        var witnesses = Enumerable.Range(0, runs.Length).Where(i => runs[i].Violations.Count(v => shown.Add(v.Kind)) > 0).ToArray();
        var recorded = witnesses.Length == 0 ? [] : await runAll(witnesses.Select(i => (IStrategy)Strategy(model, seed, from + i)).ToArray(), true);
        var choices = witnesses.Zip(recorded, (i, r) => (i, r.Choices)).ToDictionary(w => w.i, w => w.Choices);
        var result = new BatchResult();
        for (int i = 0; i < runs.Length; i++)
        {
            each?.Invoke(from + i, runs[i]);
            result.Add(from + i, runs[i], choices.GetValueOrDefault(i));
        }
        return result;
    }

    /// <summary>In this process.</summary>
    public static BatchResult Run(ScenarioModel model, ulong seed, long from, long to, CancellationToken cancel = default, bool partialOnStop = false)
    {
        var ending = EndWhenStopped.For(cancel);
        return RunAsync(model, seed, from, to, (s, record) => ValueTask.FromResult(LocalEngine.Run(model, s, recordChoices: record, pruner: ending)),
                cancel: cancel, partialOnStop: partialOnStop)
            .AsTask().GetAwaiter().GetResult();
    }

    public static RandomStrategy Strategy(ScenarioModel model, ulong seed, long index) =>
        new(RandomStrategy.RunSeed(seed, index), model.Workload.Delays);
}
