namespace SmmuActors.Model.Sim;

/// <summary>
/// Watches one run as it happens (tracing, metrics). Engines pass it to <see cref="Scenario.Execution"/>;
/// the model itself never depends on what observes it.
/// </summary>
public interface IRunObserver
{
    /// <summary>After each delivery: the message, what its receiver reported, and any violation detected at this step.</summary>
    void Delivered(long step, in Message m, IReadOnlyList<ModelEvent> events, IReadOnlyList<Violation> newViolations);

    /// <summary>Once, with the finished result.</summary>
    void Finished(RunResult result);
}
