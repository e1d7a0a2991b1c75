using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>Runs [from, to) of a seeded random campaign on the local engine. Run i always has the same seed.</summary>
public static class RandomBatch
{
    public static BatchResult Run(ScenarioModel model, ulong seed, long from, long to, CancellationToken cancel = default)
    {
        var result = new BatchResult();
        for (long i = from; i < to; i++)
        {
            cancel.ThrowIfCancellationRequested();
            result.Add(i, LocalEngine.Run(model, Strategy(model, seed, i)));
        }
        return result;
    }

    public static RandomStrategy Strategy(ScenarioModel model, ulong seed, long index) =>
        new(RandomStrategy.RunSeed(seed, index), model.Workload.Delays);
}
