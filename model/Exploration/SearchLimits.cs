namespace SmmuActors.Model.Exploration;

/// <summary>
/// What may stop an exhaustive search before the whole space is searched, and whether an execution ends at its first
/// violation (<paramref name="FirstViolation"/>, Spin's and TLC's default: the state a violating transition reaches is
/// not searched from through that transition, so nothing that happens only after a violation is explored).
/// </summary>
public sealed record SearchLimits(long MaxStates, long MaxDepth, TimeSpan? Timeout = null, bool FirstViolation = false)
{
    public static SearchLimits For(Workloads.ScenarioModel model, TimeSpan? timeout = null, bool firstViolation = false) =>
        new(model.Workload.Bounds.MaxStates, model.Workload.Bounds.MaxSteps, timeout, firstViolation);

    /// <summary>The incomplete reasons, as every search words them.</summary>
    public const string Cancelled = "cancelled";

    public string StatesReason => $"maxStates ({MaxStates})";

    public string DepthReason => $"maxSteps ({MaxDepth}): states that many deliveries from the start were not searched from";

    public string TimeoutReason => $"--timeout {Timeout?.TotalSeconds:0.###} s";
}
