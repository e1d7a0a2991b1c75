namespace SmmuActors.Model.Exploration;

/// <summary>
/// What may stop an exhaustive search before the whole space is searched, and whether an execution ends at its first
/// violation (<paramref name="FirstViolation"/>, Spin's and TLC's default: the state a violating transition reaches is
/// not searched from through that transition, so nothing that happens only after a violation is explored), and whether
/// the whole search stops at the first violation it meets (<paramref name="StopAtFirst"/>: the first transition that shows
/// a safety kind; the kinds judged at final states and the time-based ones, decided on the finished graph, do not stop it).
/// </summary>
public sealed record SearchLimits(long MaxStates, long MaxDepth, TimeSpan? Timeout = null, bool FirstViolation = false, bool StopAtFirst = false)
{
    public static SearchLimits For(Workloads.ScenarioModel model, TimeSpan? timeout = null, bool firstViolation = false, bool stopAtFirst = false) =>
        new(model.Workload.Bounds.MaxStates, model.Workload.Bounds.MaxSteps, timeout, firstViolation, stopAtFirst);

    /// <summary>
    /// How long a stopped search (Ctrl+C, the timeout) walks its graph for shortest witnesses (<see cref="StateSpaceSearch.Conclude"/>):
    /// its result is to come within a second of the stop, with time left for the grains' last reports and the printing.
    /// </summary>
    public TimeSpan StoppedWalk { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The incomplete reasons, as every search words them.</summary>
    public const string Cancelled = "cancelled";

    public string StatesReason => $"{StatesPrefix}{MaxStates})";

    public string DepthReason => $"{DepthPrefix}{MaxDepth}): states that many deliveries from the start were not searched from";

    const string StatesPrefix = "maxStates (", DepthPrefix = "maxSteps (";

    /// <summary>The reason is one of the workload's bounds (maxStates, maxSteps), which the user can raise.</summary>
    public static bool IsWorkloadBound(string? reason) => reason is not null && (reason.StartsWith(StatesPrefix) || reason.StartsWith(DepthPrefix));

    public string TimeoutReason => $"{TimeoutPrefix}{Timeout?.TotalSeconds:0.###} s";

    const string TimeoutPrefix = "--timeout ";

    /// <summary>The reason is the --timeout budget, which the user can raise or drop.</summary>
    public static bool IsTimeout(string? reason) => reason?.StartsWith(TimeoutPrefix) == true;

    /// <summary>Why a search with <see cref="StopAtFirst"/> that met a violation ended there.</summary>
    public const string FirstFoundReason = "the first violation met (--stop-at-first)";

    /// <summary>
    /// A bound whose cut depends on the order states are reached in, which timing decides on several workers: a search cut
    /// by one is searched again on one worker (<see cref="StateSpaceSearch.Explore"/>).
    /// </summary>
    public bool CutsByOrder(string? reason) => reason == StatesReason || reason == FirstFoundReason;
}
