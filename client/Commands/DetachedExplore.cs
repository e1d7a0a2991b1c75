using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Client.Commands;

/// <summary>
/// `explore --detach`: hands a random campaign to the cluster, which also shrinks and keeps its
/// counterexamples, prints its id and returns; `campaign` reattaches from any client.
/// </summary>
public static class DetachedExplore
{
    public static async Task<int> SubmitAsync(IReadOnlyList<ScenarioModel> models, string workloadPath, StrategyKind strategy, ulong seed, long runs,
        EngineKind engine, ClusterAddress cluster, CancellationToken cancel)
    {
        if (strategy != StrategyKind.Random) throw new InputException("--detach: only random campaigns run detached");
        if (engine != EngineKind.Grains) throw new InputException($"--detach: campaigns run on the {Naming.Kebab(EngineKind.Grains)} engine, in a cluster (--cluster or --redis)");
        if (models.Count != 1) throw new InputException("--detach: one variant per campaign (not 'all')");
        if (cluster.IsEmbedded)
            throw new InputException($"--detach: a detached campaign lives on in a cluster; give --redis HOST:PORT (or set {Grains.Hosting.RedisEndpoint.Variable}) or --cluster");
        await using var connection = await CampaignAccess.ConnectAsync(cluster, cancel);
        var spec = new CampaignSpec(ScenarioSpec.From(models[0], workloadPath), seed, runs, Investigate: true);
        var id = await GrainCampaignRunner.SubmitAsync(connection.Client, spec, cancel);
        // The id alone on standard output, so a script can take it: id=$(smmu-actors explore ... --detach).
        Console.WriteLine(CampaignAccess.Show(id));
        Console.Error.WriteLine($"campaign submitted; follow it with: smmu-actors campaign wait {CampaignAccess.Show(id)}{cluster.Options}");
        return 0;
    }
}
