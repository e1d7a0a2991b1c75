using SmmuActors.Contracts;
using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace SmmuActors.Grains.Placement;

/// <summary>
/// Places a campaign on the oldest silo. In the local cluster that is the primary, which holds the
/// membership table: if it goes the cluster goes, so a campaign there outlives any other silo's loss.
/// </summary>
public sealed class OldestSiloPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class)]
public sealed class OldestSiloPlacementAttribute() : PlacementAttribute(new OldestSiloPlacement());

public sealed class OldestSiloPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context) =>
        Task.FromResult(SiloOrder.Oldest(context.GetCompatibleSilos(target))[0]);
}
