using System.Diagnostics;
using SmmuActors.Contracts;
using SmmuActors.Grains.Campaign;
using SmmuActors.Grains.Execution;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Client.Engines;

/// <summary>
/// The grain engine: every component of a scenario is a grain, delivered to by its lane's fabric grain.
/// Single runs go to one lane of this client and are traced where the lane runs; random campaigns fan out over every silo.
/// </summary>
public sealed class GrainEngineHost(GrainConnection connection) : IEngineHost
{
    readonly string _group = $"client-{Guid.NewGuid():N}";
    bool _laneUsed;

    public EngineKind Kind => EngineKind.Grains;

    public string Where => connection.Where;

    /// <summary>An embedded silo takes a second or two to start: that is said on standard error, as progress.</summary>
    public static async Task<IEngineHost> CreateAsync(ClusterAddress cluster, bool traced, CancellationToken cancel)
    {
        if (cluster.IsEmbedded) Console.Error.WriteLine("starting a silo in this process...");
        return new GrainEngineHost(await GrainConnection.ConnectAsync(cluster, traced, cancel));
    }

    IFabricGrain Lane => connection.Client.GetGrain<IFabricGrain>(0, _group);

    /// <summary>
    /// Not cancelled through Orleans at the stop, since a cancelled call ends in its caller without the grain's answer: a
    /// stop cuts the run in the lane (<see cref="IFabricGrain.Cut"/>), and the run comes back pruned, as the local
    /// engine's does. A run the cut missed (it reached the lane before the run did) is cancelled through Orleans once the
    /// stop's grace is over, and ends at the lane's next sweep.
    /// </summary>
    public async Task<RunResult> RunAsync(ScenarioSpec scenario, StrategySpec strategy, long? runIndex, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        _laneUsed = true;
        var lane = Lane;
        using var giveUp = new CancellationTokenSource();
        return await StoppableCall.CutAsync(lane.Run(scenario, strategy, runIndex, Activity.Current?.Id, giveUp.Token), lane.Cut, StopGrace, giveUp, cancel);
    }

    /// <summary>
    /// How long a stopped shrink is given to hand back the smallest run it found: one that answers at all answers within
    /// milliseconds, but a run of millions of choices takes over half a second to cross the wire, and the whole stop has a second.
    /// </summary>
    static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(0.2);

    /// <summary>
    /// The shrink runs in a silo, started and then polled. Cancelled, it is stopped rather than abandoned, so the smallest
    /// run found so far comes back. When the silo cannot give it (a poll fails, as one to a lost silo does within seconds,
    /// or a stopped shrink does not answer in time), or the stop came first, the witness is captured here as found: a
    /// stopped shrink gives no less.
    /// </summary>
    public Task<Counterexample> InvestigateAsync(ScenarioSpec scenario, StrategyKind strategy, ulong seed, Witness witness, CancellationToken cancel)
    {
        Counterexample AsFound(string? why)
        {
            if (why is not null) Console.Error.WriteLine($"shrinking the {Naming.Kebab(witness.Kind)} witness in the cluster failed ({why}): its counterexample is kept as found");
            return Investigation.Investigate(scenario.Build(), scenario.WorkloadPath, strategy, seed, witness, new CancellationToken(canceled: true));
        }
        if (cancel.IsCancellationRequested) return Task.FromResult(AsFound(null));
        var investigation = connection.Client.GetGrain<IInvestigationGrain>(Guid.NewGuid());
        return StoppableCall.RunAsync(Followed(investigation, scenario, strategy, seed, witness), investigation.Stop, StopGrace, AsFound, cancel);
    }

    /// <summary>How long one poll of an investigation waits for its end.</summary>
    static readonly TimeSpan InvestigationPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>Started, then polled to its end: a silo lost under it fails a poll within its 5 s response timeout.</summary>
    static async Task<Counterexample> Followed(IInvestigationGrain investigation, ScenarioSpec scenario, StrategyKind strategy, ulong seed, Witness witness)
    {
        await investigation.Start(scenario, strategy, seed, witness);
        while (true)
            if (await investigation.Poll(InvestigationPoll) is { } found) return found;
    }

    public async Task<CampaignOutcome> RandomAsync(ScenarioSpec scenario, ulong seed, long runs, IProgress<ExploreProgress>? progress, CancellationToken cancel)
    {
        // A campaign on a cluster outlives this process: should a second Ctrl+C end it before the cancel is through, say how to stop it.
        IDisposable? note = null;
        try
        {
            var status = await GrainCampaignRunner.RunAsync(connection.Client, new CampaignSpec(scenario, seed, runs), progress, null, cancel,
                connection.Embedded ? null : id => note = StopSignals.Note(
                    $"campaign {id:N} may still be running on {Where}: stop it with 'smmu-actors campaign cancel {id:N}' and this command's --cluster or --redis"));
            return new CampaignOutcome(status.Result!, status.BatchesBySilo);
        }
        finally
        {
            note?.Dispose();
        }
    }

    /// <summary>
    /// The search is split over every silo of the cluster (see <see cref="DistributedSearchRunner"/>); its states are
    /// reported as it goes. Cancelled, the search is stopped rather than abandoned, so the states it searched come back.
    /// </summary>
    public async Task<SearchOutcome> ExhaustiveAsync(ScenarioSpec scenario, TimeSpan? timeout, IProgress<ExploreProgress>? progress, CancellationToken cancel,
        bool reduce = true, bool firstViolation = false, int workers = 1, bool stopAtFirst = false)
    {
        if (!reduce) throw new ArgumentException("the partitioned search is always reduced", nameof(reduce));
        if (stopAtFirst) throw new ArgumentException("the partitioned search runs to its end (which violation comes first depends on its timing)", nameof(stopAtFirst));
        cancel.ThrowIfCancellationRequested();
        var r = await DistributedSearchRunner.RunAsync(connection.Client, scenario, timeout, 0, progress, cancel, firstViolation);
        return new SearchOutcome(r.Search, r.PartitionsBySilo, r.Restarts);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_laneUsed) await Lane.Retire();
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
