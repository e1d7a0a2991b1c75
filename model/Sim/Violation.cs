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

public static class ViolationKinds
{
    public static string Name(ViolationKind k) => k switch
    {
        ViolationKind.StaleTranslation => "stale-translation",
        ViolationKind.AbandonedBatch => "abandoned-batch",
        ViolationKind.LostCommand => "lost-command",
        ViolationKind.DrainTimeout => "drain-timeout",
        ViolationKind.SyncTimeout => "sync-timeout",
        ViolationKind.Deadlock => "deadlock",
        ViolationKind.QueueInvariant => "queue-invariant",
        _ => k.ToString(),
    };

    public static ViolationKind Parse(string s) =>
        Enum.GetValues<ViolationKind>().FirstOrDefault(k => Name(k) == s, (ViolationKind)(-1)) is var k && (int)k >= 0
            ? k
            : throw new ArgumentException($"unknown violation kind '{s}'");
}

/// <summary>One violation: what, when (step and virtual time) and a sentence a reviewer can read.</summary>
public sealed record Violation(ViolationKind Kind, long Step, long Time, string Detail)
{
    public string KindName => ViolationKinds.Name(Kind);
}
