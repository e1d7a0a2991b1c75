namespace SmmuActors.Model.Exploration;

/// <summary>What may stop an exhaustive search before the whole space is searched.</summary>
public sealed record SearchLimits(long MaxStates, long MaxDepth, TimeSpan? Timeout = null)
{
    public static SearchLimits For(Workloads.ScenarioModel model, TimeSpan? timeout = null) =>
        new(model.Workload.Bounds.MaxStates, model.Workload.Bounds.MaxSteps, timeout);
}
