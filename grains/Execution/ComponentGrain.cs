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
        return _host.Needs(ticket) ? Built(ticket, deliveries) : Task.FromResult(_host.Deliver(ticket, deliveries));
    }

    /// <summary>
    /// The scenario is built off this grain's turn, once for the silo (<see cref="ScenarioBuilds"/>): a program of 400,000
    /// operations took over a second, a turn that held the silo's scheduler that long (Orleans warns of it).
    /// </summary>
    async Task<Delivered> Built(BatchTicket ticket, Deliveries deliveries)
    {
        _host.Use(ticket.Scenario, await ScenarioBuilds.For(ticket.Scenario));
        return _host.Deliver(ticket, deliveries);
    }

    public Task Retire()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
