using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>Spinning waiters parked at a component until their predicate holds; answered in arrival order.</summary>
public sealed class ParkedWaits
{
    List<Message> _waits = new(4);

    public void Arrive(in ProdWord q, in Message m, long value, Outbox o)
    {
        if (WaitCondition.Holds(q, value, m)) Reply(m, value, o);
        else _waits.Add(m);
    }

    /// <summary>Re-checks every waiter on <paramref name="loc"/> after it changed.</summary>
    public void Changed(in ProdWord q, int loc, long value, Outbox o)
    {
        for (int i = 0; i < _waits.Count; i++)
        {
            var w = _waits[i];
            if (w.Loc != loc || !WaitCondition.Holds(q, value, w)) continue;
            Reply(w, value, o);
            _waits.RemoveAt(i--);
        }
    }

    /// <summary>Drops the waits of <paramref name="waiter"/>, whose spin timed out.</summary>
    public void Withdraw(byte waiter) => _waits.RemoveAll(w => w.Src == waiter);

    static void Reply(in Message w, long value, Outbox o) =>
        o.Send(w.Src, MessageKind.WaitReply, DelayClass.Reply, Ordering.None, w.Loc, value, 0, w.C);

    public void Hash(ref StateHasher h)
    {
        h.Add(_waits.Count);
        foreach (var w in _waits)
        {
            h.Add(w.Src); h.Add(w.Loc); h.Add(w.A); h.Add(w.B); h.Add(w.C);
        }
    }

    public ParkedWaits Clone() => new() { _waits = new List<Message>(_waits) };
}
