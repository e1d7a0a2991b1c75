using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// Expands one state of the exhaustive search: which enabled deliveries it explores (the persistent set of
/// <see cref="Reduction"/>, widened when a thread's step reports to the oracle, or, expanded again for the cycle proviso,
/// the deliveries that set left out) and each successor with its hash. The local search and every partition of the
/// partitioned one expand through this, so both explore the same edges from the same state.
/// </summary>
sealed class StateExpansion(ScenarioModel model, bool reduce = true)
{
    /// <summary>
    /// One explored delivery: its pick among the enabled messages, the successor with each component's hash and its own,
    /// the thread whose wait it ends by its answer and the one whose wait it ends by the thread's own timeout (or -1),
    /// and how many violations the execution held before it.
    /// </summary>
    public readonly record struct Branch(int Pick, IComponent[] C, (ulong, ulong)[] H, Execution R, (ulong, ulong) Hash,
        int Completes, int TimesOut, int Found, bool TookParent)
    {
        /// <summary>The delivery showed a violation: where a search to first violations ends the execution.</summary>
        public bool Violates => Found < R.Invariants.Violations.Count;
    }

    readonly Reduction _reduction = new(model, reduce);
    readonly Outbox _outbox = new();
    readonly List<int> _todo = new(8), _chosen = new(8);
    // Arrays and executions of branches that reached known states, given back to build later branches in: about half
    // of all branches do, and building in a spare allocates nothing (Execution.CopyFrom).
    readonly Stack<(IComponent[] C, (ulong, ulong)[] H, Execution R)> _spares = new();
    const int MaxSpares = 16;
    IInvariants? _hashedInvariants;
    (ulong, ulong) _invariantsHash;

    /// <summary>The last expansion's deliveries, in the order explored.</summary>
    public readonly List<Branch> Branches = new(8);

    /// <summary>The last expansion was a thread's step widened because it reported to the oracle.</summary>
    public bool Widened { get; private set; }

    /// <summary>
    /// Expands the state (<paramref name="c"/>, <paramref name="hs"/>, <paramref name="r"/>), whose pending messages
    /// <paramref name="enabled"/> lists (at least one) and whose threads wait as <paramref name="waits"/> says, into
    /// <see cref="Branches"/>. <paramref name="again"/>: the state was expanded through a persistent set before, and now
    /// explores what that set left out. <paramref name="owned"/>: the state's arrays and execution are the caller's to give
    /// away, and the last branch takes them. Returns which set was explored (<see cref="Reduction.Kind.Full"/>: all).
    /// </summary>
    public Reduction.Kind Expand(IComponent[] c, (ulong, ulong)[] hs, Execution r, List<int> enabled, bool again, bool owned,
        ReadOnlySpan<byte> waits)
    {
        Branches.Clear();
        Widened = false;
        int n = enabled.Count;
        var kind = _reduction.Choose(r.Fabric, c, enabled, _todo);
        if (again)
        {
            // The deliveries the persistent set left out; the others' edges are in the graph already. A thread's step
            // that reported to the oracle had widened that set: it is handled once more, on a clone, to tell.
            if (kind == Reduction.Kind.ThreadStep)
            {
                var m = r.Fabric.Peek(enabled[_todo[0]]);
                Handle(c[m.Dst], m, _outbox);
                if (_outbox.Events.Count > 0 && _reduction.Widen(r.Fabric, c, enabled, _outbox.Events, _chosen) == Reduction.Kind.Closure)
                {
                    _todo.Clear();
                    _todo.AddRange(_chosen);
                }
            }
            _chosen.Clear();
            _chosen.AddRange(_todo);
            _todo.Clear();
            for (int k = 0; k < n; k++) if (!_chosen.Contains(k)) _todo.Add(k);
            kind = Reduction.Kind.Full;
        }
        for (int i = 0; i < _todo.Count; i++)
        {
            int k = _todo[i];
            // The receiver acts first, on a clone: a thread's step that reports to the oracle widens the set before
            // anything of the parent is given away.
            var m = r.Fabric.Peek(enabled[k]);
            var before = c[m.Dst];
            var receiver = Handle(before, m, _outbox);
            if (kind == Reduction.Kind.ThreadStep && _outbox.Events.Count > 0)
            {
                // A step that reported to the oracle may not commute with deliveries to memory or the SMMU.
                kind = _reduction.Widen(r.Fabric, c, enabled, _outbox.Events, _chosen);
                Widened = kind != Reduction.Kind.ThreadStep;
                if (kind == Reduction.Kind.Full) for (int j = 0; j < n; j++) { if (j != k) _todo.Add(j); }
                else if (kind == Reduction.Kind.Closure) foreach (int j in _chosen) { if (j != k) _todo.Add(j); }
            }
            // The last branch may take the parent's own arrays and execution. Its components are still shared with the
            // siblings made before it, so none is changed in place.
            bool reuse = owned && i == _todo.Count - 1;
            IComponent[] cc = c;
            (ulong, ulong)[] hh = hs;
            Execution rr = r;
            if (!reuse && _spares.TryPop(out var spare))
            {
                (cc, hh, rr) = spare;
                Array.Copy(c, cc, c.Length);
                Array.Copy(hs, hh, hs.Length);
                rr.CopyFrom(r);
            }
            else if (!reuse)
            {
                cc = ArrayCopy.Of(c);
                hh = ArrayCopy.Of(hs);
                rr = r.Clone();
            }
            int found = rr.Invariants.Violations.Count;
            Apply(cc, hh, rr, enabled[k], receiver, _outbox);
            int timesOut = TimesOut(before, m, waits);
            int completes = Completes(before, receiver, m, waits.Length);
            // Siblings that left the checks untouched share them, and shared checks never change: hashed once.
            if (!rr.SharesInvariants || !ReferenceEquals(rr.Invariants, _hashedInvariants))
            {
                _invariantsHash = RunLoop.InvariantsHash(rr.Invariants);
                _hashedInvariants = rr.SharesInvariants ? rr.Invariants : null;
            }
            Branches.Add(new Branch(k, cc, hh, rr, RunLoop.StateHash(hh, rr, _invariantsHash), completes, timesOut, found, reuse));
        }
        return kind;
    }

    /// <summary>
    /// <paramref name="b"/> reached a known state and nothing holds its arrays or execution any more: a later branch is
    /// built in them. A branch that took its parent's own is not taken back.
    /// </summary>
    public void GiveBack(in Branch b)
    {
        if (!b.TookParent && _spares.Count < MaxSpares) _spares.Push((b.C, b.H, b.R));
    }

    /// <summary>
    /// Delivers pending message <paramref name="index"/> in the state (<paramref name="c"/>, <paramref name="h"/>,
    /// <paramref name="r"/>) in place, copy on write: the receiver, a holder whose wait is withdrawn and memory when a
    /// thread retires are replaced by changed clones, so components the state shares with others are never changed. The
    /// path replays use it.
    /// </summary>
    public static void Step(IComponent[] c, (ulong, ulong)[] h, Execution r, int index, Outbox outbox)
    {
        var m = r.Fabric.Peek(index);
        Apply(c, h, r, index, Handle(c[m.Dst], m, outbox), outbox);
    }

    /// <summary>The receiver of <paramref name="m"/> after handling it: a clone, the one given is not changed.</summary>
    static IComponent Handle(IComponent before, in Message m, Outbox outbox)
    {
        var receiver = before.Clone();
        outbox.Begin(m.Dst);
        receiver.Handle(m, outbox);
        return receiver;
    }

    /// <summary>
    /// Makes the state (<paramref name="c"/>, <paramref name="h"/>, <paramref name="r"/>) the next one: pending message
    /// <paramref name="index"/> delivered to <paramref name="receiver"/>, which handled it into <paramref name="outbox"/>;
    /// a holder whose wait is withdrawn, or that drops a retired thread's records, is replaced by a changed clone.
    /// </summary>
    static void Apply(IComponent[] c, (ulong, ulong)[] h, Execution r, int index, IComponent receiver, Outbox outbox)
    {
        var m = r.Fabric.Take(index);
        c[m.Dst] = receiver;
        r.Delivered(m, outbox);
        h[m.Dst] = RunLoop.ComponentHash(receiver);
        foreach (var ctl in outbox.Controls)
        {
            if (ctl.Kind is not (ControlKind.Withdraw or ControlKind.Retire)) continue;
            var holder = c[ctl.Operand].Clone();
            if (ctl.Kind == ControlKind.Withdraw) ((IWaitHolder)holder).Withdraw(m.Dst);
            else ((IRecordHolder)holder).Retire(m.Dst);
            c[ctl.Operand] = holder;
            h[ctl.Operand] = RunLoop.ComponentHash(holder);
        }
    }

    /// <summary>Each thread's wait in a state, as the graph keeps it.</summary>
    public static void Waits(IComponent[] c, Span<byte> into)
    {
        for (int t = 0; t < into.Length; t++) into[t] = (byte)((DriverThread)c[Layout.FirstThread + t]).Waiting;
    }

    /// <summary>
    /// The thread whose wait this delivery ends, or -1: the spin it answers, but a full-queue wait only when the thread
    /// leaves it. That wait is the driver's whole loop (`while (!queue_has_space(&llq, n + sync))` around
    /// poll_until_not_full), whose spin ends as soon as one slot is free: a thread needing more goes round again, still
    /// waiting, and an answer that counted would make a wait that never finds room look able to end.
    /// </summary>
    static int Completes(IComponent before, IComponent after, in Message m, int threads)
    {
        int t = m.Dst - Layout.FirstThread;
        if (t < 0 || t >= threads) return -1;
        var was = (DriverThread)before;
        if (was.Waiting == WaitKind.QueueSpace) return ((DriverThread)after).Waiting != WaitKind.QueueSpace ? t : -1;
        return was.Answers(m) ? t : -1;
    }

    /// <summary>The thread whose CMD_SYNC or drain wait (in <paramref name="waits"/>, the state's) this delivery ends by its own timeout, or -1.</summary>
    static int TimesOut(IComponent receiver, in Message m, ReadOnlySpan<byte> waits)
    {
        int t = m.Dst - Layout.FirstThread;
        if (t < 0 || t >= waits.Length) return -1;
        var w = (WaitKind)waits[t];
        return w is WaitKind.Sync or WaitKind.Drain && ((DriverThread)receiver).IsOwnTimeout(m) ? t : -1;
    }
}
