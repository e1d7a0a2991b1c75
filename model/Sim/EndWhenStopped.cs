namespace SmmuActors.Model.Sim;

/// <summary>
/// Ends a run at its next step once <paramref name="cancel"/> is cancelled: one run of a long workload can take many
/// seconds, and a stop that waited for it did too. The cut run comes back pruned; callers drop it.
/// </summary>
public sealed class EndWhenStopped(CancellationToken cancel) : IPruner
{
    public bool Prune(IComponent[] components, Execution run) => cancel.IsCancellationRequested;
}
