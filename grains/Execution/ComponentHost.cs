using System.Runtime.InteropServices;
using SmmuActors.Contracts;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// One model component for every run of a batch, an instance per run, handed each call's deliveries: what a
/// <see cref="ComponentGrain"/> hosts. The instances are rebuilt at the first call of each batch.
/// </summary>
public sealed class ComponentHost
{
    readonly Outbox _outbox = new();
    readonly CallBuffer<int> _sentEnd = new(), _eventsEnd = new(), _controlsEnd = new();
    readonly CallBuffer<Message> _sent = new();
    readonly CallBuffer<ModelEvent> _events = new();
    readonly CallBuffer<Control> _controls = new();
    Guid _batch;
    ScenarioSpec? _scenario;
    ScenarioModel? _model;
    IComponent?[] _runs = [];
    int _calls;

    /// <summary>Whether a call of <paramref name="ticket"/>'s batch needs its scenario built first (<see cref="Use"/>).</summary>
    public bool Needs(BatchTicket ticket) => ticket.Batch != _batch && Stale(ticket.Scenario);

    bool Stale(ScenarioSpec scenario) => _model is null || !scenario.SameAs(_scenario!);

    /// <summary>The model of <paramref name="scenario"/>, built by the caller where a long build holds nothing up.</summary>
    public void Use(ScenarioSpec scenario, ScenarioModel model)
    {
        _model = model;
        _scenario = scenario;
    }

    /// <summary>How many calls of <paramref name="batch"/> this host has had.</summary>
    public int CallsOf(Guid batch) => batch == _batch ? _calls : 0;

    public Delivered Deliver(BatchTicket ticket, Deliveries deliveries)
    {
        if (ticket.Batch != _batch) Begin(ticket);
        _calls++;
        // The fabric has read the previous call's reply before this one: its buffers are free again.
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
        return new Delivered(_sentEnd.Items, _sent.Items, _eventsEnd.Items, _events.Items, _controlsEnd.Items, _controls.Items);
    }

    void Begin(BatchTicket ticket)
    {
        if (Stale(ticket.Scenario)) Use(ticket.Scenario, ticket.Scenario.Build());
        _runs = new IComponent?[ticket.Runs];
        _batch = ticket.Batch;
        _calls = 0;
    }
}
