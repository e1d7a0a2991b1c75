using SmmuActors.Model.Engine;

namespace SmmuActors.Model.Scenario;

/// <summary>
/// One execution in progress, independent of where components live: the engine asks for the
/// next message, delivers it to the component however it hosts it, and reports back.
/// </summary>
public sealed class ScenarioRun
{
    readonly long _maxSteps;
    bool _pruned, _truncated;

    public Fabric Fabric { get; }
    public Oracle Oracle { get; }

    readonly IRunObserver? _observer;

    public ScenarioRun(ScenarioModel model, IStrategy strategy, bool recordTrace, bool recordChoices, IRunObserver? observer = null)
    {
        _observer = observer;
        _maxSteps = model.Workload.Bounds.MaxSteps;
        Fabric = model.CreateFabric(strategy, recordTrace, recordChoices);
        Oracle = model.CreateOracle();
    }

    public bool TryNext(out Message m)
    {
        m = default;
        if (Fabric.Steps >= _maxSteps && Fabric.Pending > 0)
        {
            _truncated = true;
            return false;
        }
        return Fabric.Next(out m);
    }

    /// <summary>Ends the run early: its future was explored from an identical state already.</summary>
    public void Prune() => _pruned = true;

    public void Delivered(in Message m, List<Message> sent, List<ModelEvent> events)
    {
        Fabric.Accept(m, sent, events);
        int before = Oracle.Violations.Count;
        Oracle.Observe(events, Fabric.Steps, Fabric.Now);
        _observer?.Delivered(Fabric.Steps, m, events, NewViolations(before));
    }

    public RunResult Finish()
    {
        // A pruned run's future was explored from the same state already; a truncated one has no end to judge.
        if (!_pruned && !_truncated) Oracle.Finish(Fabric.Steps, Fabric.Now, quiescent: true);
        var result = new RunResult(Fabric.TraceHash, Fabric.Steps, Fabric.Now, Oracle.Violations, Oracle.Coverage, Oracle.Outcome,
            Fabric.Choices, Fabric.Log, _truncated, _pruned);
        _observer?.Finished(result);
        return result;
    }

    IReadOnlyList<Violation> NewViolations(int before) =>
        Oracle.Violations.Count == before ? [] : Oracle.Violations.Skip(before).ToArray();
}
