namespace SmmuActors.Model.Sim;

/// <summary>
/// The checks a run is judged by. They read only the events components report, so every engine is
/// judged alike; the protocol layer supplies them (the SMMU model's <c>Oracle</c>).
/// </summary>
public interface IInvariants
{
    IReadOnlyList<Violation> Violations { get; }

    /// <summary>Protocol branches reached, one bit each.</summary>
    ulong Coverage { get; }

    /// <summary>What litmus loads observed, per thread in program order (empty for protocol workloads).</summary>
    string Outcome { get; }

    /// <summary>After each delivery: the message delivered and what its receiver reported.</summary>
    void Observe(in Message m, List<ModelEvent> events, long step, long time);

    /// <summary>False when <see cref="Observe"/> of this delivery would change nothing (no event, nothing it mirrors), so a copy need not be made for it.</summary>
    bool Reads(in Message m, List<ModelEvent> events);

    /// <summary>End of run: liveness and bookkeeping checks. <paramref name="quiescent"/>: nothing is left in flight.</summary>
    void Finish(long step, long time, bool quiescent);

    /// <summary>Whatever of the checks' bookkeeping shapes future verdicts, for state hashing.</summary>
    void Hash(ref StateHasher h);

    /// <summary>A deep copy that goes on independently: the exhaustive search branches from it.</summary>
    IInvariants Clone();
}
