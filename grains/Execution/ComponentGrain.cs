using SmmuActors.Contracts;
using Orleans.Placement;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Hosts one model component for every run of its lane's current batch (<see cref="ComponentHost"/>). Placed
/// beside its fabric (the first caller), so each call is an in-silo call. The activation itself lives as long
/// as the lane.
/// </summary>
[PreferLocalPlacement]
[CollectionAgeLimit(Minutes = 2)]
public sealed class ComponentGrain : Grain, IComponentGrain
{
    readonly ComponentHost _host = new();

    public Task<Delivered> Deliver(BatchTicket ticket, int call, Deliveries deliveries)
    {
        // Activations can be replaced between calls (directory recovery after a silo loss): never continue from a fresh state.
        int had = _host.CallsOf(ticket.Batch);
        if (call != had)
            throw new ComponentLostException($"component {this.GetPrimaryKeyString()} has had {had} calls of batch {ticket.Batch}, the fabric sent call {call}");
        return Task.FromResult(_host.Deliver(ticket, deliveries));
    }

    public Task Retire()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
