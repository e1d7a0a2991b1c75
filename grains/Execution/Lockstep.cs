using System.Diagnostics;
using SmmuActors.Contracts;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Execution;

/// <summary>
/// Drives a batch of executions of one scenario in sweeps. Every live run has its next message waiting for its
/// component (its fabric decides it, as in process); a sweep calls the component grains one after another, in actor
/// order, each with the deliveries waiting for it from every run, and hands each run its reply at once, so a run whose
/// next message is for a component later in the sweep is delivered again in the same sweep (a request to memory and
/// the thread's next step, say). Each run sees exactly the deliveries and replies it would see alone, so its trace is
/// the local engine's; a call carries many runs, so the toll of a grain call is paid per sweep, not per delivery.
/// </summary>
public sealed class Lockstep(IComponentGrain[] components)
{
    readonly List<ModelEvent> _events = new(4);
    readonly int[] _calls = new int[components.Length];
    // The deliveries waiting for each component, and the spare a call's deliveries are swapped out into: a reply
    // can give a run its next message for the very component that sent it, which then waits for the next sweep.
    readonly Waiting[] _waiting = Enumerable.Range(0, components.Length).Select(_ => new Waiting()).ToArray();
    Waiting _sending = new();
    // Each run's clock before it took the message waiting for its component: where a cut leaves it.
    long[] _takenAt = [];
    long _served;

    /// <summary>
    /// Runs <paramref name="runs"/> to their ends. Cancelled, it throws between sweeps (a campaign counts no cut run);
    /// <paramref name="cut"/> instead ends every live run there and returns it pruned, with what it did so far.
    /// </summary>
    public async Task<RunResult[]> Run(ScenarioSpec scenario, Model.Sim.Execution[] runs, CancellationToken cancel, CancellationToken cut = default)
    {
        var ticket = new BatchTicket(Guid.NewGuid(), scenario, runs.Length);
        if (_takenAt.Length < runs.Length) _takenAt = new long[runs.Length];
        var results = new RunResult[runs.Length];
        Array.Clear(_calls);
        foreach (var w in _waiting) w.Clear();
        int live = 0;
        for (int r = 0; r < runs.Length; r++) live += Advance(runs, results, r);
        while (live > 0)
        {
            cancel.ThrowIfCancellationRequested();
            if (cut.IsCancellationRequested) return Cut(runs, results);
            if (Stopwatch.GetElapsedTime(_served) >= ServeEvery)
            {
                await ThroughGlobalQueue();
                _served = Stopwatch.GetTimestamp();
            }
            for (int dst = 0; dst < components.Length; dst++)
            {
                if (_waiting[dst].Count == 0) continue;
                (_sending, _waiting[dst]) = (_waiting[dst], _sending);
                _waiting[dst].Clear();
                var call = new Deliveries(_sending.Count, _sending.Runs.Items, _sending.Messages.Items);
                var delivered = components[dst].Deliver(ticket, _calls[dst]++, call);
                // A cut does not wait for the call under way: a component's first call builds the scenario, which takes
                // a second or more for a long program, and the stop has a second. Its answer is dropped, the runs end as
                // they were, and the buffers the call still reads are left to it rather than filled by the next run's.
                if (cut.CanBeCanceled && !delivered.IsCompleted)
                {
                    try { await delivered.WaitAsync(cut); }
                    catch (OperationCanceledException) when (cut.IsCancellationRequested)
                    {
                        _ = delivered.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                        _sending = new Waiting();
                        return Cut(runs, results);
                    }
                }
                live += Accept(runs, results, await delivered) - _sending.Count;
            }
        }
        return results;
    }

    /// <summary>
    /// Orleans queues a grain's next turn on the current thread's local queue, which the thread pool serves before
    /// its global one. Calls handed between a fabric and its components would keep every pool thread on local work
    /// while the global queue (timers, sockets, the silo's health checks) waited for the pool to add a thread, for
    /// seconds on two cores ("Thread Pool execution stalled"). Going through the global queue serves everything
    /// queued there before it. Every few milliseconds, not every sweep: each pass can hand the lane to another pool
    /// thread, and in a one-thread harness without Orleans a pass before each of a storm batch's 300 sweeps took its
    /// runs from 66 to 92 µs each.
    /// </summary>
    static readonly TimeSpan ServeEvery = TimeSpan.FromMilliseconds(2);

    static Task ThroughGlobalQueue() =>
        Task.Factory.StartNew(static () => { }, CancellationToken.None, TaskCreationOptions.PreferFairness, TaskScheduler.Default);

    /// <summary>
    /// Hands each run of the call what its component sent and reported, as the in-process loop hands over the outbox;
    /// returns how many of them have a next message.
    /// </summary>
    int Accept(Model.Sim.Execution[] runs, RunResult[] results, Delivered d)
    {
        var ids = _sending.Runs.Items;
        var messages = _sending.Messages.Items;
        int sent = 0, events = 0, controls = 0, live = 0;
        for (int k = 0; k < _sending.Count; k++)
        {
            // Sends and controls are read where they lie in the reply; the checks take events as a list.
            _events.Clear();
            _events.AddRange(d.Events.AsSpan(events, d.EventsEnd[k] - events));
            runs[ids[k]].Delivered(messages[k], d.Sent.AsSpan(sent, d.SentEnd[k] - sent), _events, d.Controls.AsSpan(controls, d.ControlsEnd[k] - controls));
            (sent, events, controls) = (d.SentEnd[k], d.EventsEnd[k], d.ControlsEnd[k]);
            // While the run's state is still in cache.
            live += Advance(runs, results, ids[k]);
        }
        return live;
    }

    RunResult[] Cut(Model.Sim.Execution[] runs, RunResult[] results)
    {
        for (int r = 0; r < runs.Length; r++)
        {
            if (results[r] is not null) continue;
            runs[r].Prune();
            // A live run has taken its next message, which no component handled: its steps and its clock are those of
            // the deliveries made, as the local engine's run cut before it takes the next.
            var cut = runs[r].Finish();
            results[r] = cut with { Steps = cut.Steps - 1, EndTime = _takenAt[r] };
        }
        return results;
    }

    /// <summary>Puts run <paramref name="r"/>'s next message with its component's waiting deliveries (1), or finishes the run (0).</summary>
    int Advance(Model.Sim.Execution[] runs, RunResult[] results, int r)
    {
        _takenAt[r] = runs[r].Fabric.Now;
        if (runs[r].TryNext(out var m))
        {
            _waiting[m.Dst].Add(r, m);
            return 1;
        }
        results[r] = runs[r].Finish();
        return 0;
    }

    /// <summary>The deliveries waiting for one component: <c>Messages[k]</c> for run <c>Runs[k]</c>.</summary>
    sealed class Waiting
    {
        public readonly CallBuffer<int> Runs = new();
        public readonly CallBuffer<Message> Messages = new();
        public int Count => Runs.Count;

        public void Add(int run, in Message m)
        {
            Runs.Add(run);
            Messages.Add(m);
        }

        public void Clear()
        {
            Runs.Clear();
            Messages.Clear();
        }
    }
}
