namespace SmmuActors.Model.Sim;

/// <summary>
/// Decides what the model leaves open: each message's delay, which of several same-time messages
/// to one actor goes first, and when each thread starts. Every answer is one recorded choice.
/// </summary>
public interface IStrategy
{
    /// <summary>The delay, in ticks (at least 1), for a message of <paramref name="cls"/>.</summary>
    long Delay(in Message m, DelayClass cls);

    /// <summary>Index in [0, count) of the same-time message to deliver first.</summary>
    int Tie(int count);

    /// <summary>One of the thread's start offsets.</summary>
    long Start(int thread, IReadOnlyList<long> menu);

    /// <summary>Untimed: the exhaustive search's semantics, where the strategy picks among enabled messages (see <see cref="Fabric"/>).</summary>
    bool Untimed => false;

    /// <summary>Untimed only: index in [0, count) of the enabled message to deliver next, or -1 to end the run here.</summary>
    int Pick(int count) => throw new InvalidOperationException("a timed strategy picks no enabled message");

    /// <summary>Adds whatever of the strategy's own state shapes the future to a state hash.</summary>
    void Hash(ref StateHasher h);
}
