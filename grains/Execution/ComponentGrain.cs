using SmmuActors.Contracts;
using Orleans.Placement;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Hosts one model component. Placed beside its fabric (the first caller), so a delivery is an
/// in-silo call. The model object is rebuilt at the first delivery of each run: the activation
/// itself lives as long as the lane.
/// </summary>
[PreferLocalPlacement]
[CollectionAgeLimit(Minutes = 2)]
public sealed class ComponentGrain : Grain, IComponentGrain
{
    readonly Outbox _outbox = new();
    Guid _run;
    ScenarioSpec? _scenario;
    ScenarioModel? _model;
    IComponent? _component;
    int _delivered;

    public Task<Delivered> Deliver(RunTicket ticket, int seq, Message m)
    {
        if (_component is null || ticket.Run != _run) Begin(ticket, m.Dst);
        // Activations can be replaced between calls (directory recovery after a silo loss): never continue from a fresh state.
        if (seq != _delivered)
            throw new ComponentLostException($"component {m.Dst} has {_delivered} deliveries of run {ticket.Run}, the fabric sent {seq}");
        _delivered++;
        _outbox.Begin(m.Dst);
        _component!.Handle(m, _outbox);
        return Task.FromResult(new Delivered(_outbox.Messages.ToArray(), _outbox.Events.ToArray(), _outbox.Controls.ToArray()));
    }

    void Begin(RunTicket ticket, byte actor)
    {
        if (_model is null || !ticket.Scenario.SameAs(_scenario!))
        {
            _model = ticket.Scenario.Build();
            _scenario = ticket.Scenario;
        }
        _component = _model.CreateComponent(actor, untimed: false);
        _run = ticket.Run;
        _delivered = 0;
    }

    public Task Retire()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
