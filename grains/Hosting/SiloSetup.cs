using SmmuActors.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using SmmuActors.Grains.Campaign;
using SmmuActors.Grains.Placement;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// What every silo hosting these grains needs, whichever process hosts it (silo, embedded, tests);
/// the caller adds clustering and campaign storage (<see cref="RedisCluster"/> or <see cref="CampaignStorage"/>).
/// </summary>
public static class SiloSetup
{
    /// <param name="propagateTraces">
    /// Whether grain calls carry the caller's trace context, so a traced run is one trace from client to components.
    /// Only for a silo that records traces: the propagation filters put every grain call, a lockstep sweep's
    /// included, through Orleans' filter pipeline and a copy of its response (13 % of the grain engine's rate on storm).
    /// </param>
    public static ISiloBuilder AddSmmuActors(this ISiloBuilder silo, bool propagateTraces)
    {
        if (propagateTraces) silo.AddActivityPropagation();
        silo.AddPlacementDirector<LanePlacement, LanePlacementDirector>();
        silo.AddPlacementDirector<OldestSiloPlacement, OldestSiloPlacementDirector>();
        silo.Services.AddHostedService<CampaignKeeper>();
        // Every silo is on one machine's loopback, so a dead one is found faster than across a network
        // (a campaign waits for that before its lost batches are placed elsewhere); but on two busy cores a
        // live silo can stall for a second or two, and declaring it dead then would break a healthy cluster.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 3;
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        });
        return silo;
    }
}
