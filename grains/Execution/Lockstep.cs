using SmmuActors.Contracts;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Drives a batch of executions of one scenario in rounds. Each round every live run has its next message
/// (its fabric decides it, as in process); the deliveries are grouped by component, and each component grain
/// gets one call carrying its deliveries for every run; the calls of a round go out together. Each run sees
/// exactly the deliveries and replies it would see alone, so its trace is the local engine's; a call carries
/// a round of many runs, so the toll of a grain call is paid per round, not per delivery.
/// </summary>
public sealed class Lockstep(IComponentGrain[] components)
{
    readonly List<ModelEvent> _events = new(4);
    readonly int[] _calls = new int[components.Length];
    readonly Task<Delivered>?[] _replies = new Task<Delivered>?[components.Length];
    // This round's deliveries, by component, and the next round's, filled as each run takes its reply.
    Round _round = new(components.Length), _next = new(components.Length);

    public async Task<RunResult[]> Run(ScenarioSpec scenario, Model.Sim.Execution[] runs, CancellationToken cancel)
    {
        var ticket = new BatchTicket(Guid.NewGuid(), scenario, runs.Length);
        var results = new RunResult[runs.Length];
        Array.Clear(_calls);
        _next.Clear();
        for (int r = 0; r < runs.Length; r++) Advance(runs, results, r);
        while (_next.Deliveries > 0)
        {
            cancel.ThrowIfCancellationRequested();
            await ThroughGlobalQueue();
            (_round, _next) = (_next, _round);
            _next.Clear();
            for (int dst = 0; dst < components.Length; dst++)
                _replies[dst] = _round.Runs[dst].Count == 0 ? null
                    : components[dst].Deliver(ticket, _calls[dst]++, new Deliveries(_round.Runs[dst].Count, _round.Runs[dst].Items, _round.Messages[dst].Items));
            for (int dst = 0; dst < components.Length; dst++)
                if (_replies[dst] is { } reply) Accept(runs, results, dst, await reply);
        }
        return results;
    }

    /// <summary>
    /// Orleans queues a grain's next turn on the current thread's local queue, which the thread pool serves before
    /// its global one. Rounds handed between a fabric and its components would keep every pool thread on local work
    /// while the global queue (timers, sockets, the silo's health checks) waited for the pool to add a thread, for
    /// seconds on two cores ("Thread Pool execution stalled"). Starting each round from the global queue serves
    /// everything queued there before it.
    /// </summary>
    static Task ThroughGlobalQueue() =>
        Task.Factory.StartNew(static () => { }, CancellationToken.None, TaskCreationOptions.PreferFairness, TaskScheduler.Default);

    /// <summary>Hands each run what its component sent and reported, as the in-process loop hands over the outbox.</summary>
    void Accept(Model.Sim.Execution[] runs, RunResult[] results, int dst, Delivered d)
    {
        var ids = _round.Runs[dst].Items;
        var messages = _round.Messages[dst].Items;
        int sent = 0, events = 0, controls = 0;
        for (int k = 0; k < _round.Runs[dst].Count; k++)
        {
            // Sends and controls are read where they lie in the reply; the checks take events as a list.
            _events.Clear();
            _events.AddRange(d.Events.AsSpan(events, d.EventsEnd[k] - events));
            runs[ids[k]].Delivered(messages[k], d.Sent.AsSpan(sent, d.SentEnd[k] - sent), _events, d.Controls.AsSpan(controls, d.ControlsEnd[k] - controls));
            (sent, events, controls) = (d.SentEnd[k], d.EventsEnd[k], d.ControlsEnd[k]);
            // While the run's state is still in cache.
            Advance(runs, results, ids[k]);
        }
    }

    /// <summary>Takes run <paramref name="r"/>'s next message into the next round, or finishes the run.</summary>
    void Advance(Model.Sim.Execution[] runs, RunResult[] results, int r)
    {
        if (runs[r].TryNext(out var m)) _next.Add(r, m);
        else results[r] = runs[r].Finish();
    }

    /// <summary>One round's deliveries, by component.</summary>
    sealed class Round(int components)
    {
        public readonly RoundBuffer<int>[] Runs = Enumerable.Range(0, components).Select(_ => new RoundBuffer<int>()).ToArray();
        public readonly RoundBuffer<Message>[] Messages = Enumerable.Range(0, components).Select(_ => new RoundBuffer<Message>()).ToArray();
        public int Deliveries { get; private set; }

        public void Add(int run, in Message m)
        {
            Runs[m.Dst].Add(run);
            Messages[m.Dst].Add(m);
            Deliveries++;
        }

        public void Clear()
        {
            foreach (var b in Runs) b.Clear();
            foreach (var b in Messages) b.Clear();
            Deliveries = 0;
        }
    }
}
