using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// Spinning waiters parked at a component until their predicate holds; answered in arrival order. The array
/// is replaced on every change, never written in place, so a clone shares it (most deliveries change no wait).
/// </summary>
public sealed class ParkedWaits
{
    Message[] _waits = [];

    public void Arrive(in ProdWord q, in Message m, long value, Outbox o)
    {
        if (WaitCondition.Holds(q, value, m)) Answer(m, value, o);
        else _waits = [.. _waits, m];
    }

    /// <summary>Re-checks every waiter on <paramref name="loc"/> after it changed.</summary>
    public void Changed(in ProdWord q, int loc, long value, Outbox o)
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
        if (left is not null) _waits = left[..kept];
    }

    /// <summary>Drops the waits of <paramref name="waiter"/>, whose spin timed out.</summary>
    public void Withdraw(byte waiter) => _waits = _waits.Where(w => w.Src != waiter).ToArray();

    /// <summary>The location <paramref name="waiter"/>'s wait is parked on, or -1.</summary>
    public int ParkedAt(byte waiter)
    {
        foreach (var w in _waits)
            if (w.Src == waiter) return w.Loc;
        return -1;
    }

    /// <summary>Ends the spin <paramref name="w"/> on <paramref name="value"/>.</summary>
    public static void Answer(in Message w, long value, Outbox o) =>
        o.Send(w.Src, MessageKind.WaitReply, DelayClass.Reply, Ordering.None, w.Loc, value, 0, w.C);

    public void Hash(ref StateHasher h)
    {
        h.Add(_waits.Length);
        foreach (var w in _waits)
        {
            h.Add(w.Src); h.Add(w.Loc); h.Add(w.A); h.Add(w.B); h.Add(w.C);
        }
    }

    public ParkedWaits Clone() => new() { _waits = _waits };
}
