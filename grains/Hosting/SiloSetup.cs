using Orleans.Configuration;
using SmmuActors.Grains.Placement;

namespace SmmuActors.Grains.Hosting;

/// <summary>What every silo hosting these grains needs, whichever process hosts it (silo, embedded, tests).</summary>
public static class SiloSetup
{
    public static ISiloBuilder AddSmmuActors(this ISiloBuilder silo)
    {
        // Grain calls carry the caller's trace context, so a traced run is one trace from client to components.
        silo.AddActivityPropagation();
        silo.AddPlacementDirector<LanePlacement, LanePlacementDirector>();
        silo.AddPlacementDirector<OldestSiloPlacement, OldestSiloPlacementDirector>();
        // Every silo is on one machine's loopback: a dead one is certain within a couple of missed
        // probes, and a campaign waits for that before its lost batches can be placed elsewhere.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        });
        return silo;
    }
}
