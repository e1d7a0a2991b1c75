using SmmuActors.Model.Engine;
using SmmuActors.Model.Exploration;

namespace SmmuActors.Client.Engines;

/// <summary>The local engine: every component in this process, random campaigns spread over the cores.</summary>
public sealed class LocalEngineHost : IEngineHost
{
    public string Name => "local";

    public Task<RunResult> RunAsync(ScenarioSpec scenario, StrategySpec strategy, CancellationToken cancel)
    {
        var model = scenario.Build();
        return Task.FromResult(LocalEngine.Run(model, strategy.Create(model.Workload.Delays), recordTrace: true, recordChoices: true));
    }

    public Task<BatchResult> RandomAsync(ScenarioSpec scenario, ulong seed, long runs, IProgress<ExploreProgress>? progress, CancellationToken cancel) =>
        Task.Run(() => Explorer.Random(scenario.Build(), seed, runs, Environment.ProcessorCount, progress, cancel), cancel);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
