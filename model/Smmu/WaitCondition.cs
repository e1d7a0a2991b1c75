using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// The predicates the driver spins on (cond-read loops and polls, §2.3-§2.6). A spin is one Wait
/// message: the target answers when the predicate first holds, which is when some poll would see it.
/// </summary>
public enum WaitPredicate : byte
{
    /// <summary>(value &amp; mask) == expected.</summary>
    MaskedEquals,
    /// <summary>!queue_full(llq) on the llq word.</summary>
    NotFull,
    /// <summary>(int)value &gt; 0: the lock has no exclusive holder.</summary>
    Positive,
    /// <summary>queue_consumed(value as cons, operand as prod).</summary>
    Consumed,
    /// <summary>(value &amp; mask) equals the operand or has passed it in queue order: queue_consumed with equality.</summary>
    Reached,
}

public static class WaitCondition
{
    /// <summary>Set in a wait's C when the same loop spins on the same word again next (<see cref="SpinsAgain"/>).</summary>
    const long Again = 0x80;

    /// <summary>
    /// Packs a wait into the message: A = operand, B = mask, C = waitId &lt;&lt; 8 | <see cref="Again"/> if
    /// <paramref name="again"/> | predicate; <paramref name="marked"/>: a spin whose answer a fence follows (<see cref="Message.Marked"/>).
    /// </summary>
    public static void Send(Outbox o, byte dst, int loc, WaitPredicate p, long operand, long mask, long waitId, bool again = false, bool marked = false) =>
        o.Send(dst, MessageKind.Wait, DelayClass.Request, Ordering.None, loc, operand, mask, (waitId << 8) | (again ? Again : 0) | (byte)p, marked: marked);

    public static long WaitId(long c) => c >> 8;

    /// <summary>
    /// Whether the wait (or its reply) with this C is followed, as soon as it ends, by another spin of the same loop on the
    /// same word: the owner's valid-map poll when its batch wraps within one word (<c>DriverThread.PollValid</c>).
    /// </summary>
    public static bool SpinsAgain(long c) => (c & Again) != 0;

    public static bool Holds(in ProdWord q, long value, in Message wait)
    {
        var p = (WaitPredicate)(wait.C & (Again - 1));
        return p switch
        {
            WaitPredicate.MaskedEquals => (value & wait.B) == wait.A,
            WaitPredicate.NotFull => !q.Full((uint)value, (uint)(value >> 32)),
            WaitPredicate.Positive => (int)value > 0,
            WaitPredicate.Consumed => q.Consumed((uint)value, (uint)wait.A),
            WaitPredicate.Reached => (value & wait.B) == wait.A || q.Consumed((uint)(value & wait.B), (uint)wait.A),
            _ => throw new InvalidOperationException($"unknown wait predicate {p}"),
        };
    }
}
