using System.Diagnostics;
using SmmuActors.Contracts;
using SmmuActors.Grains.Hosting;
using SmmuActors.Grains.Placement;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Telemetry;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// A worker lane: owns the <see cref="Execution"/>s (clock, pending deliveries, oracle) of a batch of runs and
/// delivers their messages to the component grains in lockstep sweeps (<see cref="Lockstep"/>), one call per
/// component per sweep, where the local engine calls the component objects.
/// </summary>
[LanePlacement]
[CollectionAgeLimit(Minutes = 2)]
public sealed class FabricGrain : Grain, IFabricGrain
{
    /// <summary>
    /// Names this activation's component grains. After a silo loss the directory can briefly hold two
    /// activations of one lane; keyed by the lane, they would interleave batches on the same components.
    /// </summary>
    readonly string _incarnation = Guid.NewGuid().ToString("N");
    ScenarioSpec? _scenario;
    ScenarioModel? _model;
    IComponentGrain[] _components = [];
    Lockstep? _lockstep;
    CancellationTokenSource? _cut;

    public async Task<RunResult> Run(ScenarioSpec scenario, StrategySpec strategy, long? runIndex, string? traceParent, CancellationToken cancel)
    {
        using var cut = _cut = new CancellationTokenSource();
        try { return await Run(scenario, strategy, runIndex, traceParent, cancel, cut.Token); }
        finally { _cut = null; }
    }

    async Task<RunResult> Run(ScenarioSpec scenario, StrategySpec strategy, long? runIndex, string? traceParent, CancellationToken cancel, CancellationToken cut)
    {
        // A cut while the scenario is built comes before the run: there is nothing to hand back, and the build goes on alone.
        var model = await Load(scenario).AsTask().WaitAsync(cut);
        // Under Orleans' span of this call when it is in the caller's trace, else straight under the caller's span: a
        // silo that records Orleans' spans while the caller does not starts a trace of its own for the call, unsampled.
        bool given = ActivityContext.TryParse(traceParent, null, out var caller);
        var parent = Activity.Current is { } call && (!given || call.TraceId == caller.TraceId) ? call.Context : caller;
        // Records nothing unless this silo listens to the SmmuActors source; campaign runs are never traced.
        var tracer = new ScenarioTracer(model, strategy.Replay ? "replay" : "random", strategy.Seed, runIndex, parent);
        // A search witness is checked afresh at its end by searching from the state it reaches, which needs
        // the whole state in one place: it is replayed in this silo's process, as the search itself runs.
        if (strategy.Untimed) return UntimedReplay.Run(model, strategy.Choices, strategy.Probe, recordTrace: true, recordChoices: true, tracer);
        var run = model.NewExecution(strategy.Create(model.Workload.Delays), recordTrace: true, recordChoices: true, tracer);
        var result = (await _lockstep!.Run(scenario, [run], cancel, cut))[0];
        // A cut run is told, never drawn or replayed: without its trace and choices it crosses the wire within the
        // stop's grace (a million steps of them take most of a second).
        return result.Pruned ? result with { Trace = null, Choices = null } : result;
    }

    public Task Cut()
    {
        _cut?.Cancel();
        return Task.CompletedTask;
    }

    public async Task<LaneBatch> RunBatch(ScenarioSpec scenario, ulong seed, long from, long to, CancellationToken cancel)
    {
        var model = await Load(scenario);
        var result = await RandomBatch.RunTogetherAsync(model, seed, from, to, (s, record) => Execute(scenario, model, s, record, cancel));
        return new LaneBatch(result, this.SiloName());
    }

    public async Task<LaneTraces> TraceHashes(ScenarioSpec scenario, ulong seed, long from, long to, CancellationToken cancel)
    {
        var model = await Load(scenario);
        var hashes = new string[to - from];
        await RandomBatch.RunTogetherAsync(model, seed, from, to, (s, record) => Execute(scenario, model, s, record, cancel), (i, r) => hashes[i - from] = r.TraceHash);
        return new LaneTraces(hashes, this.SiloName());
    }

    public Task Retire()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>Nobody else knows this activation's components: they go with it.</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        Task.WhenAll(_components.Select(c => c.Retire()));

    async ValueTask<ScenarioModel> Load(ScenarioSpec scenario)
    {
        if (_model is not null && scenario.SameAs(_scenario!)) return _model;
        // Off the lane's turn: a program of 400,000 operations took over a second to build, which held the silo's
        // scheduler and kept a stop's Cut from the lane that long.
        var model = await ScenarioBuilds.For(scenario);
        // One component grain per actor, kept across batches and scenarios: activation costs far more than a call.
        if (_components.Length < model.Actors)
        {
            _components = Enumerable.Range(0, model.Actors)
                .Select(a => GrainFactory.GetGrain<IComponentGrain>($"{_incarnation}/{a}"))
                .ToArray();
            _lockstep = new Lockstep(_components);
        }
        _scenario = scenario;
        _model = model;
        return model;
    }

    async ValueTask<RunResult[]> Execute(ScenarioSpec scenario, ScenarioModel model, IStrategy[] strategies, bool record, CancellationToken cancel) =>
        await _lockstep!.Run(scenario, strategies.Select(s => model.NewExecution(s, recordTrace: record, recordChoices: record)).ToArray(), cancel);
}
