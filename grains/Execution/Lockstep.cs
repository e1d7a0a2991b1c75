using SmmuActors.Contracts;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Drives a batch of executions of one scenario in rounds. Each round takes every live run's next message
/// (its fabric decides it, as in process), groups the deliveries by component, and makes one call per
/// component grain carrying that component's deliveries for every run; the calls of a round go out together.
/// Each run sees exactly the deliveries and replies it would see alone, so its trace is the local engine's;
/// a call carries a round of many runs, so the toll of a grain call is paid per round, not per delivery.
/// </summary>
public sealed class Lockstep(IComponentGrain[] components)
{
    readonly Outbox _outbox = new();

    public async Task<RunResult[]> Run(ScenarioSpec scenario, Model.Sim.Execution[] runs, CancellationToken cancel)
    {
        var ticket = new BatchTicket(Guid.NewGuid(), scenario, runs.Length);
        var results = new RunResult[runs.Length];
        var next = new Message[runs.Length];
        var calls = new int[components.Length];
        var slots = Enumerable.Range(0, components.Length).Select(_ => new List<int>()).ToArray();
        var live = Enumerable.Range(0, runs.Length).ToList();
        var round = new List<(List<int> Runs, Task<Delivered> Reply)>(components.Length);
        while (live.Count > 0)
        {
            cancel.ThrowIfCancellationRequested();
            foreach (var s in slots) s.Clear();
            live.RemoveAll(r =>
            {
                if (runs[r].TryNext(out next[r])) { slots[next[r].Dst].Add(r); return false; }
                results[r] = runs[r].Finish();
                return true;
            });
            round.Clear();
            for (int dst = 0; dst < components.Length; dst++)
            {
                if (slots[dst].Count == 0) continue;
                var ids = slots[dst].ToArray();
                var messages = new Message[ids.Length];
                for (int k = 0; k < ids.Length; k++) messages[k] = next[ids[k]];
                round.Add((slots[dst], components[dst].Deliver(ticket, calls[dst]++, new Deliveries(ids, messages))));
            }
            await Task.WhenAll(round.Select(c => c.Reply));
            foreach (var (ids, reply) in round) Accept(runs, next, ids, reply.Result);
        }
        return results;
    }

    /// <summary>Hands each run what its component sent and reported, as the in-process loop hands over the outbox.</summary>
    void Accept(Model.Sim.Execution[] runs, Message[] next, List<int> ids, Delivered d)
    {
        int sent = 0, events = 0, controls = 0;
        for (int k = 0; k < ids.Count; k++)
        {
            int r = ids[k];
            _outbox.Begin(next[r].Dst);
            _outbox.Messages.AddRange(d.Sent.AsSpan(sent, d.SentEnd[k] - sent));
            _outbox.Events.AddRange(d.Events.AsSpan(events, d.EventsEnd[k] - events));
            _outbox.Controls.AddRange(d.Controls.AsSpan(controls, d.ControlsEnd[k] - controls));
            (sent, events, controls) = (d.SentEnd[k], d.EventsEnd[k], d.ControlsEnd[k]);
            runs[r].Delivered(next[r], _outbox);
        }
    }
}
