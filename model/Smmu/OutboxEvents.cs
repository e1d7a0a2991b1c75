using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>The SMMU model's events and protocol branches, reported through the engine's outbox.</summary>
public static class OutboxEvents
{
    public static void Emit(this Outbox o, EventKind kind, long a = 0, long b = 0, long c = 0) => o.Emit((byte)kind, a, b, c);

    public static void Branch(this Outbox o, ProtocolBranch b) => o.Emit(EventKind.Branch, (long)b);

    /// <summary>The protocol meaning of an event the engine carried.</summary>
    public static EventKind Kind(this in ModelEvent e) => (EventKind)e.Kind;
}
