namespace SmmuActors.Model.Sim;

/// <summary>The strategy of the exhaustive search's executions: untimed; the search itself takes every enabled message in turn.</summary>
public sealed class SearchStrategy : IStrategy
{
    public bool Untimed => true;

    public long Delay(in Message m, DelayClass cls) => 1;

    public int Tie(int count) => throw new InvalidOperationException("the untimed search has no ties");

    public long Start(int thread, IReadOnlyList<long> menu) => menu[0];

    public int Pick(int count) => throw new InvalidOperationException("the search branches on every enabled message itself");

    public void Hash(ref StateHasher h) { }
}
