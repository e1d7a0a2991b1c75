
namespace SmmuActors.Model.Sim;

/// <summary>
/// Plays back a recorded choice list. Timed: past its end (a shrunk list) every choice takes the
/// shortest option, which is what shrinking means by "no injected delay". Untimed: the run ends there.
/// </summary>
public sealed class ReplayStrategy(IReadOnlyList<long> choices, DelaySpec delays, bool untimed = false) : IStrategy
{
    public bool Untimed => untimed;

    /// <summary>An untimed witness ends where its choices end: the search found its violation in the state reached there.</summary>
    public int Pick(int count)
    {
        if (_next >= choices.Count) return -1;
        long v = choices[_next++];
        return v >= 0 && v < count ? (int)v : throw new ReplayMismatchException($"choice {_next - 1}: pick {v} but only {count} messages are enabled");
    }

    int _next;

    long Take(long fallback) => _next < choices.Count ? choices[_next++] : fallback;

    public long Delay(in Message m, DelayClass cls)
    {
        long v = Take(delays.Min);
        var (lo, hi) = delays.Replayable;
        return v >= lo && v <= hi ? v : throw new ReplayMismatchException(
            $"choice {_next - 1}: delay {v} is outside the workload's delays, [{lo}, {hi}]");
    }

    public int Tie(int count)
    {
        long v = Take(0);
        return v >= 0 && v < count ? (int)v : throw new ReplayMismatchException($"choice {_next - 1}: tie index {v} but only {count} messages are tied");
    }

    public long Start(int thread, IReadOnlyList<long> menu)
    {
        long v = Take(menu[0]);
        return menu.Contains(v) ? v : throw new ReplayMismatchException(
            $"choice {_next - 1}: start offset {v} is not one of the thread's, [{string.Join(", ", menu)}]");
    }

    public void Hash(ref StateHasher h) { }
}

/// <summary>A recorded choice list does not fit the run it is replayed on (wrong workload or variant).</summary>
public sealed class ReplayMismatchException(string message) : Exception(message);
