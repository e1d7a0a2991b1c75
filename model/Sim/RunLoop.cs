namespace SmmuActors.Model.Sim;

/// <summary>
/// The run loop: take the next delivery, hand it to its component, record what it sent and reported.
/// Every in-process execution (random runs, exhaustive search, shrinking, replay) goes through it; the
/// grain engine drives the same <see cref="Execution"/> steps, a batch of runs in lockstep with one call per component per sweep.
/// </summary>
public static class RunLoop
{
    public static RunResult Execute(IComponent[] components, Execution run, IPruner? pruner = null)
    {
        var outbox = new Outbox();
        while (true)
        {
            if (pruner is not null && pruner.Prune(components, run)) { run.Prune(); break; }
            if (!run.TryNext(out var m)) break;
            Deliver(components, run, m, outbox);
        }
        return run.Finish();
    }

    /// <summary>Hands <paramref name="m"/>, taken from the fabric, to its component and records what it sent, reported and asked of the holders.</summary>
    public static void Deliver(IComponent[] components, Execution run, in Message m, Outbox outbox)
    {
        outbox.Begin(m.Dst);
        components[m.Dst].Handle(m, outbox);
        run.Delivered(m, outbox);
        if (run.Fabric.Untimed)
            foreach (var c in outbox.Controls)
            {
                if (c.Kind == ControlKind.Withdraw) ((IWaitHolder)components[c.Operand]).Withdraw(m.Dst);
                else if (c.Kind == ControlKind.Retire) ((IRecordHolder)components[c.Operand]).Retire(m.Dst);
            }
    }

    /// <summary>One component's part of the state hash: the search keeps it with the state and recomputes only what a delivery changed.</summary>
    public static (ulong, ulong) ComponentHash(IComponent component)
    {
        var h = new StateHasher(0xC0FFEE);
        component.Hash(ref h);
        return h.Value;
    }

    /// <summary>The invariants' part of the state hash: shared invariants are never changed again, so the search keeps it for them.</summary>
    public static (ulong, ulong) InvariantsHash(IInvariants invariants)
    {
        var h = new StateHasher(0xC0FFEE);
        invariants.Hash(ref h);
        return h.Value;
    }

    /// <summary>The state of a run between deliveries: each component's hash (<see cref="ComponentHash"/>), messages in flight, strategy budget, invariants.</summary>
    public static (ulong, ulong) StateHash(ReadOnlySpan<(ulong, ulong)> components, Execution run) =>
        StateHash(components, run, InvariantsHash(run.Invariants));

    /// <summary><see cref="StateHash(ReadOnlySpan{ValueTuple{ulong, ulong}}, Execution)"/> with the invariants' part given.</summary>
    public static (ulong, ulong) StateHash(ReadOnlySpan<(ulong, ulong)> components, Execution run, (ulong, ulong) invariants)
    {
        var h = new StateHasher(0xC0FFEE);
        foreach (var (a, b) in components) { h.Add((long)a); h.Add((long)b); }
        run.Fabric.HashInFlight(ref h);
        run.Fabric.Strategy.Hash(ref h);
        h.Add((long)invariants.Item1);
        h.Add((long)invariants.Item2);
        return h.Value;
    }
}
