using System.Runtime.InteropServices;

namespace SmmuActors.Model.Sim;

/// <summary>
/// One execution in progress, independent of where components live: the engine asks for the
/// next message, delivers it to the component however it hosts it, and reports back.
/// </summary>
public sealed class Execution(Fabric fabric, IInvariants invariants, long maxSteps, IRunObserver? observer = null)
{
    bool _pruned, _truncated;
    bool _sharesInvariants;   // the invariants are the state's it was cloned from, copied only when a delivery gives them something to read

    public Fabric Fabric { get; } = fabric;

    /// <summary>True while the invariants are shared with a clone: then nothing changes them in place any more.</summary>
    public bool SharesInvariants => _sharesInvariants;
    public IInvariants Invariants { get; private set; } = invariants;
    public long MaxSteps => maxSteps;

    /// <summary>
    /// A copy that goes on independently, unobserved: the exhaustive search branches from it. The invariants are shared
    /// until a delivery gives them something to read (most give them nothing): then that side copies them first.
    /// </summary>
    public Execution Clone()
    {
        _sharesInvariants = true;
        return new(Fabric.Clone(), Invariants, maxSteps) { _sharesInvariants = true };
    }

    /// <summary>Makes this execution what <see cref="Clone"/> of <paramref name="o"/> would be, reusing its fabric's arrays.</summary>
    public Execution CopyFrom(Execution o)
    {
        if (observer is not null || maxSteps != o.MaxSteps) throw new InvalidOperationException("only an unobserved clone of the same run copies another");
        o._sharesInvariants = true;
        _sharesInvariants = true;
        Invariants = o.Invariants;
        _pruned = _truncated = false;
        Fabric.CopyFrom(o.Fabric);
        return this;
    }

    public bool TryNext(out Message m)
    {
        m = default;
        if (Fabric.Steps >= maxSteps && Fabric.Pending > 0)
        {
            _truncated = true;
            return false;
        }
        return Fabric.Next(out m);
    }

    /// <summary>Ends the run early: its future was explored from an identical state already.</summary>
    public void Prune() => _pruned = true;

    /// <summary>What the receiver of <paramref name="m"/> sent, reported and did to the interconnect.</summary>
    public void Delivered(in Message m, Outbox outbox) =>
        Delivered(m, CollectionsMarshal.AsSpan(outbox.Messages), outbox.Events, CollectionsMarshal.AsSpan(outbox.Controls));

    /// <summary>The same, with the receiver's sends and controls given where they lie (the grain engine's reply, uncopied).</summary>
    public void Delivered(in Message m, ReadOnlySpan<Message> sent, List<ModelEvent> events, ReadOnlySpan<Control> controls)
    {
        Fabric.Accept(m, sent, events, controls);
        if (_sharesInvariants && Invariants.Reads(m, events))
        {
            Invariants = Invariants.Clone();
            _sharesInvariants = false;
        }
        int before = Invariants.Violations.Count;
        Invariants.Observe(m, events, Fabric.Steps, Fabric.Now);
        observer?.Delivered(Fabric.Steps, Fabric.AsDelivered(m), events, NewViolations(before));
    }

    public RunResult Finish()
    {
        // A pruned run's future was explored from the same state already; a truncated one, or an untimed
        // witness that ends where its violation was found, has no end to judge.
        if (!_pruned && !_truncated && !Fabric.Stopped) Invariants.Finish(Fabric.Steps, Fabric.Now, quiescent: true);
        var result = new RunResult(Fabric.TraceHash, Fabric.Steps, Fabric.Now, Invariants.Violations, Invariants.Coverage, Invariants.Outcome,
            Fabric.Choices, Fabric.Log, _truncated, _pruned);
        observer?.Finished(result);
        return result;
    }

    IReadOnlyList<Violation> NewViolations(int before) =>
        Invariants.Violations.Count == before ? [] : Invariants.Violations.Skip(before).ToArray();
}
