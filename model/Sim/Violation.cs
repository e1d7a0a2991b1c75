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
    /// <summary>A CPU's CAS reserved slots after the suspend drained the queue, before resume cleared STOP.</summary>
    CommitAfterDrain,
    /// <summary>STOP became clear while suspended by anything but resume's clear.</summary>
    StopLost,
    /// <summary>A queue-space or lock wait that can never end.</summary>
    WaitForever,
}

/// <summary>One violation: what, when (step and virtual time) and a sentence a reviewer can read.</summary>
public sealed record Violation(ViolationKind Kind, long Step, long Time, string Detail)
{
    public string KindName => Naming.Kebab(Kind);
}
