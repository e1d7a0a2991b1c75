namespace SmmuActors.Model.Exploration;

/// <summary>What may stop an exhaustive search before the whole space is searched.</summary>
public sealed record SearchLimits(long MaxStates, long MaxDepth, TimeSpan? Timeout = null)
{
    public static SearchLimits For(Workloads.ScenarioModel model, TimeSpan? timeout = null) =>
        new(model.Workload.Bounds.MaxStates, model.Workload.Bounds.MaxSteps, timeout);

    /// <summary>The incomplete reasons, as every search words them.</summary>
    public const string Cancelled = "cancelled";

    public string StatesReason => $"maxStates ({MaxStates})";

    public string DepthReason => $"maxSteps ({MaxDepth}): a path that long was cut";

    public string TimeoutReason => $"--timeout {Timeout?.TotalSeconds:0.###} s";
}
