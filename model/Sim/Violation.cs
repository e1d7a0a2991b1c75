namespace SmmuActors.Model.Sim;

/// <summary>The invariant violations the oracles name (issue 2, Deliver 5).</summary>
public enum ViolationKind
{
    StaleTranslation,
    AbandonedBatch,
    LostCommand,
    DrainTimeout,
    SyncTimeout,
    Deadlock,
    QueueInvariant,
}

/// <summary>One violation: what, when (step and virtual time) and a sentence a reviewer can read.</summary>
public sealed record Violation(ViolationKind Kind, long Step, long Time, string Detail)
{
    public string KindName => Naming.Kebab(Kind);
}
