using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>Runs [from, to) of a seeded random campaign. Run i always has the same seed, on any engine.</summary>
public static class RandomBatch
{
    /// <summary>The one batch loop: <paramref name="run"/> executes run i from its strategy (in process, or on grains).</summary>
    public static async ValueTask<BatchResult> RunAsync(ScenarioModel model, ulong seed, long from, long to,
        Func<IStrategy, bool, ValueTask<RunResult>> run, Action<long, RunResult>? each = null, CancellationToken cancel = default)
    {
        var result = new BatchResult();
        for (long i = from; i < to; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var r = await run(Strategy(model, seed, i), false);
            each?.Invoke(i, r);
            // Choices are recorded only for a witness: re-running a seed gives the same run.
            var choices = result.NeedsWitness(i, r) ? (await run(Strategy(model, seed, i), true)).Choices : null;
            result.Add(i, r, choices);
        }
        return result;
    }

    /// <summary>In this process.</summary>
    public static BatchResult Run(ScenarioModel model, ulong seed, long from, long to, CancellationToken cancel = default) =>
        RunAsync(model, seed, from, to, (s, record) => ValueTask.FromResult(LocalEngine.Run(model, s, recordChoices: record)), cancel: cancel)
            .AsTask().GetAwaiter().GetResult();

    public static RandomStrategy Strategy(ScenarioModel model, ulong seed, long index) =>
        new(RandomStrategy.RunSeed(seed, index), model.Workload.Delays);
}
