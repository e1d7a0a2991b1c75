using SmmuActors.Reports;
using SmmuActors.Client.Rendering;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Telemetry;

namespace SmmuActors.Client.Engines;

/// <summary>
/// The local engine: every component in this process, random campaigns spread over the cores.
/// With <paramref name="trace"/>, each single run is traced (campaign runs never are).
/// </summary>
public sealed class LocalEngineHost(bool trace = false) : IEngineHost
{
    public EngineKind Kind => EngineKind.Local;

    public string Where => $"this process, {Plural.Count(Environment.ProcessorCount, "thread")}";

    /// <summary>Cancelled, a timed run ends at its next step (a long workload's run can take many seconds) and comes back pruned, with what it did so far.</summary>
    public Task<RunResult> RunAsync(ScenarioSpec scenario, StrategySpec strategy, long? runIndex, CancellationToken cancel)
    {
        var model = scenario.Build();
        var tracer = trace ? new ScenarioTracer(model, Naming.Kebab(strategy.Replay ? StrategyKind.Replay : StrategyKind.Random), strategy.Seed, runIndex) : null;
        // A stop while a long workload was built came before the run: nothing ran, so there is no run to show.
        cancel.ThrowIfCancellationRequested();
        var result = strategy.Untimed
            ? UntimedReplay.Run(model, strategy.Choices, strategy.Probe, recordTrace: true, recordChoices: true, tracer)
            : LocalEngine.Run(model, strategy.Create(model.Workload.Delays), recordTrace: true, recordChoices: true, EndWhenStopped.For(cancel), tracer);
        return Task.FromResult(result);
    }

    public Task<CampaignOutcome> RandomAsync(ScenarioSpec scenario, ulong seed, long runs, IProgress<ExploreProgress>? progress, CancellationToken cancel) =>
        Task.Run(() => new CampaignOutcome(Explorer.Random(scenario.Build(), seed, runs, Environment.ProcessorCount, progress, cancel), new Dictionary<string, int>()));

    public Task<Counterexample> InvestigateAsync(ScenarioSpec scenario, StrategyKind strategy, ulong seed, Witness witness, CancellationToken cancel) =>
        Task.Run(() => Investigation.Investigate(scenario.Build(), scenario.WorkloadPath, strategy, seed, witness, cancel));

    public Task<SearchOutcome> ExhaustiveAsync(ScenarioSpec scenario, TimeSpan? timeout, IProgress<ExploreProgress>? progress, CancellationToken cancel,
        bool reduce = true, bool firstViolation = false, int workers = 1, bool stopAtFirst = false) =>
        Task.Run(() => new SearchOutcome(Explorer.Exhaustive(scenario.Build(), progress, cancel, timeout, reduce, firstViolation, workers, stopAtFirst),
            new Dictionary<string, int>()));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
