using SmmuActors.Contracts;
using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace SmmuActors.Grains.Placement;

/// <summary>
/// Spreads worker lanes evenly: lane i goes to silo i mod n (silos in joining order), so a campaign
/// with lanes = k * silos keeps every silo busy. Random placement leaves a silo idle now and then;
/// results never depend on placement either way.
/// </summary>
public sealed class LanePlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class)]
public sealed class LanePlacementAttribute() : PlacementAttribute(new LanePlacement());

public sealed class LanePlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = SiloOrder.Oldest(context.GetCompatibleSilos(target));
        long lane = target.GrainIdentity.GetIntegerKey(out _);
        return Task.FromResult(silos[(int)((ulong)lane % (ulong)silos.Length)]);
    }
}
