namespace SmmuActors.Model.Sim;

/// <summary>
/// Ends a run at its next step once <paramref name="cancel"/> is cancelled: one run of a long workload can take many
/// seconds, and a stop that waited for it did too. The cut run comes back pruned; callers drop it.
/// </summary>
public sealed class EndWhenStopped(CancellationToken cancel) : IPruner
{
    public bool Prune(IComponent[] components, Execution run) => cancel.IsCancellationRequested;

    /// <summary>The pruner for <paramref name="cancel"/>; none for a token that can never be cancelled, which needs no check at every step.</summary>
    public static EndWhenStopped? For(CancellationToken cancel) => cancel.CanBeCanceled ? new EndWhenStopped(cancel) : null;
}
