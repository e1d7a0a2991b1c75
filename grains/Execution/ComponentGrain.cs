using System.Runtime.InteropServices;
using SmmuActors.Contracts;
using Orleans.Placement;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Hosts one model component for every run of its lane's current batch, one instance per run. Placed
/// beside its fabric (the first caller), so a round is an in-silo call. The instances are rebuilt at the
/// first call of each batch: the activation itself lives as long as the lane.
/// </summary>
[PreferLocalPlacement]
[CollectionAgeLimit(Minutes = 2)]
public sealed class ComponentGrain : Grain, IComponentGrain
{
    readonly Outbox _outbox = new();
    readonly RoundBuffer<int> _sentEnd = new(), _eventsEnd = new(), _controlsEnd = new();
    readonly RoundBuffer<Message> _sent = new();
    readonly RoundBuffer<ModelEvent> _events = new();
    readonly RoundBuffer<Control> _controls = new();
    Guid _batch;
    ScenarioSpec? _scenario;
    ScenarioModel? _model;
    IComponent?[] _runs = [];
    int _calls;

    public Task<Delivered> Deliver(BatchTicket ticket, int call, Deliveries deliveries)
    {
        if (ticket.Batch != _batch) Begin(ticket);
        // Activations can be replaced between calls (directory recovery after a silo loss): never continue from a fresh state.
        if (call != _calls)
            throw new ComponentLostException($"component {this.GetPrimaryKeyString()} has had {_calls} calls of batch {ticket.Batch}, the fabric sent call {call}");
        _calls++;
        // The fabric has read the previous round's reply before this call: its buffers are free again.
        _sentEnd.Clear(); _eventsEnd.Clear(); _controlsEnd.Clear();
        _sent.Clear(); _events.Clear(); _controls.Clear();
        _outbox.Begin(0);
        for (int k = 0; k < deliveries.Count; k++)
        {
            ref readonly var m = ref deliveries.Messages[k];
            var component = _runs[deliveries.Runs[k]] ??= _model!.CreateComponent(m.Dst, untimed: false);
            // Each run's output after the previous run's, copied out once for the whole call.
            _outbox.Continue(m.Dst);
            component.Handle(m, _outbox);
            _sentEnd.Add(_outbox.Messages.Count);
            _eventsEnd.Add(_outbox.Events.Count);
            _controlsEnd.Add(_outbox.Controls.Count);
        }
        _sent.AddRange(CollectionsMarshal.AsSpan(_outbox.Messages));
        _events.AddRange(CollectionsMarshal.AsSpan(_outbox.Events));
        _controls.AddRange(CollectionsMarshal.AsSpan(_outbox.Controls));
        return Task.FromResult(new Delivered(_sentEnd.Items, _sent.Items, _eventsEnd.Items, _events.Items, _controlsEnd.Items, _controls.Items));
    }

    void Begin(BatchTicket ticket)
    {
        if (_model is null || !ticket.Scenario.SameAs(_scenario!))
        {
            _model = ticket.Scenario.Build();
            _scenario = ticket.Scenario;
        }
        _runs = new IComponent?[ticket.Runs];
        _batch = ticket.Batch;
        _calls = 0;
    }

    public Task Retire()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
