using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// Spinning waiters parked at a component until their predicate holds; answered in arrival order. Immutable: a
/// change returns a new set (or this one, unchanged), so a component's clone shares it without copying (most deliveries
/// change no wait, and memory and the SMMU are cloned for every delivery they take).
/// </summary>
public sealed class ParkedWaits
{
    readonly Message[] _waits;

    /// <summary>No waiter. Each component makes its own (never a shared instance), so nothing ties one run's to another's.</summary>
    public ParkedWaits() : this([]) { }

    ParkedWaits(Message[] waits) => _waits = waits;

    /// <summary>The set after <paramref name="m"/> arrives: answered now if its predicate holds, parked otherwise.</summary>
    public ParkedWaits Arrive(in ProdWord q, in Message m, long value, Outbox o)
    {
        if (!WaitCondition.Holds(q, value, m)) return new([.. _waits, m]);
        Answer(m, value, o);
        return this;
    }

    /// <summary>The set after re-checking every waiter on <paramref name="loc"/>, which changed.</summary>
    public ParkedWaits Changed(in ProdWord q, int loc, long value, Outbox o)
    {
        Message[]? left = null;
        int kept = 0;
        for (int i = 0; i < _waits.Length; i++)
        {
            var w = _waits[i];
            if (w.Loc == loc && WaitCondition.Holds(q, value, w))
            {
                Answer(w, value, o);
                if (left is null) { left = new Message[_waits.Length - 1]; Array.Copy(_waits, left, i); kept = i; }
            }
            else if (left is not null) left[kept++] = w;
        }
        return left is null ? this : new(left[..kept]);
    }

    /// <summary>The set without the waits of <paramref name="waiter"/>, whose spin timed out.</summary>
    public ParkedWaits Withdraw(byte waiter) => new(_waits.Where(w => w.Src != waiter).ToArray());

    /// <summary>The set without the marked waits of <paramref name="waiter"/> (<see cref="Message.Marked"/>), or this one if it has none.</summary>
    public ParkedWaits WithdrawMarked(byte waiter) =>
        Array.Exists(_waits, w => w.Src == waiter && w.Marked) ? new(_waits.Where(w => w.Src != waiter || !w.Marked).ToArray()) : this;

    /// <summary>Whether a marked wait is parked here (<see cref="Message.Marked"/>): the step that answers it tells memory its moment (<see cref="MarkAnswered"/>).</summary>
    public bool HoldsMarked => Array.Exists(_waits, w => w.Marked);

    /// <summary>Whether a wait is parked here on a location <paramref name="at"/> accepts.</summary>
    public bool HoldsAt(Func<int, bool> at) => Array.Exists(_waits, w => at(w.Loc));

    /// <summary>The location <paramref name="waiter"/>'s wait is parked on, or -1.</summary>
    public int ParkedAt(byte waiter)
    {
        foreach (var w in _waits)
            if (w.Src == waiter) return w.Loc;
        return -1;
    }

    /// <summary>Ends the spin <paramref name="w"/> on <paramref name="value"/> (a marked one's: and tells memory its moment, <see cref="Message.Marked"/>).</summary>
    public static void Answer(in Message w, long value, Outbox o)
    {
        o.Send(w.Src, MessageKind.WaitReply, DelayClass.Reply, Ordering.None, w.Loc, value, 0, w.C);
        if (w.Marked) MarkAnswered(w.Src, o);
    }

    /// <summary>Tells memory that <paramref name="reader"/>'s marked read was answered now: the fence after it orders its later loads after this moment.</summary>
    public static void MarkAnswered(byte reader, Outbox o) =>
        o.Send(Layout.MemoryActor, MessageKind.DeviceMark, DelayClass.Fixed, Ordering.None, 0, 0, reader);

    public void Hash(ref StateHasher h)
    {
        h.Add(_waits.Length);
        // A wait's Marked follows from its waiter's state, which the search hashes: the continuation after the spin, the
        // variant and, for a CR0ACK spin, the waiter's next op.
        foreach (var w in _waits)
        {
            h.Add(w.Src); h.Add(w.Loc); h.Add(w.A); h.Add(w.B); h.Add(w.C);
        }
    }
}
