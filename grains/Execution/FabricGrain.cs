using SmmuActors.Contracts;
using SmmuActors.Grains.Placement;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Telemetry;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Owns the <see cref="Execution"/> (clock, pending deliveries, oracle) and delivers each message by
/// calling the target component's grain, exactly as the local engine calls the component object.
/// </summary>
[LanePlacement]
[CollectionAgeLimit(Minutes = 2)]
public sealed class FabricGrain : Grain, IFabricGrain
{
    readonly Outbox _outbox = new();
    /// <summary>
    /// Names this activation's component grains. After a silo loss the directory can briefly hold two
    /// activations of one lane; keyed by the lane, they would interleave runs on the same components.
    /// </summary>
    readonly string _incarnation = Guid.NewGuid().ToString("N");
    ScenarioSpec? _scenario;
    ScenarioModel? _model;
    IComponentGrain[] _components = [];
    int[] _delivered = [];

    public async Task<RunResult> Run(ScenarioSpec scenario, StrategySpec strategy)
    {
        var model = Load(scenario);
        // Records nothing unless this silo listens to the SmmuActors source; campaign runs are never traced.
        var tracer = new ScenarioTracer(model, strategy.Replay ? "replay" : "random", strategy.Seed);
        // A search witness is checked afresh at its end by searching from the state it reaches, which needs
        // the whole state in one place: it is replayed in this silo's process, as the search itself runs.
        if (strategy.Untimed) return UntimedReplay.Run(model, strategy.Choices, strategy.Probe, recordTrace: true, recordChoices: true, tracer);
        return await Execute(scenario, model, strategy.Create(model.Workload.Delays), record: true, tracer);
    }

    public async Task<LaneBatch> RunBatch(ScenarioSpec scenario, ulong seed, long from, long to, CancellationToken cancel)
    {
        var model = Load(scenario);
        var result = await RandomBatch.RunAsync(model, seed, from, to, (s, record) => Execute(scenario, model, s, record, null), cancel: cancel);
        return new LaneBatch(result, RuntimeIdentity);
    }

    public async Task<LaneTraces> TraceHashes(ScenarioSpec scenario, ulong seed, long from, long to, CancellationToken cancel)
    {
        var model = Load(scenario);
        var hashes = new string[to - from];
        await RandomBatch.RunAsync(model, seed, from, to, (s, record) => Execute(scenario, model, s, record, null), (i, r) => hashes[i - from] = r.TraceHash, cancel);
        return new LaneTraces(hashes, RuntimeIdentity);
    }

    public Task Retire()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <summary>Nobody else knows this activation's components: they go with it.</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        Task.WhenAll(_components.Select(c => c.Retire()));

    ScenarioModel Load(ScenarioSpec scenario)
    {
        if (_model is not null && scenario.SameAs(_scenario!)) return _model;
        var model = scenario.Build();
        // One component grain per actor, kept across runs and scenarios: activation costs far more than a call.
        if (_components.Length < model.Actors)
        {
            _components = Enumerable.Range(0, model.Actors)
                .Select(a => GrainFactory.GetGrain<IComponentGrain>($"{_incarnation}/{a}"))
                .ToArray();
            _delivered = new int[model.Actors];
        }
        _scenario = scenario;
        _model = model;
        return model;
    }

    async ValueTask<RunResult> Execute(ScenarioSpec scenario, ScenarioModel model, IStrategy strategy, bool record, IRunObserver? observer)
    {
        var run = model.NewExecution(strategy, recordTrace: record, recordChoices: record, observer);
        var ticket = new RunTicket(Guid.NewGuid(), scenario);
        Array.Clear(_delivered);
        while (run.TryNext(out var m))
        {
            var d = await _components[m.Dst].Deliver(ticket, _delivered[m.Dst]++, m);
            _outbox.Begin(m.Dst);
            _outbox.Messages.AddRange(d.Sent);
            _outbox.Events.AddRange(d.Events);
            _outbox.Controls.AddRange(d.Controls);
            run.Delivered(m, _outbox);
        }
        return run.Finish();
    }
}
