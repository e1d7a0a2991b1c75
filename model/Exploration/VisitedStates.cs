namespace SmmuActors.Model.Exploration;

/// <summary>
/// The visited states of a search on one or more workers: 128-bit state hash to state id, ids handed out in the order
/// states are first admitted, at most <c>max</c> of them. With several workers the set is split by the hash's top bits
/// into shards with a lock each, so two workers rarely wait on one another; with one worker it is one shard and takes no
/// lock, and admits states exactly as the search did before it had workers.
/// </summary>
sealed class VisitedStates
{
    const int ShardBits = 6;
    public const int Shards = 1 << ShardBits;
    readonly StateSet[] _shards;
    readonly bool _locked;
    readonly long _max;
    int _next;

    public VisitedStates(int workers, long max)
    {
        _locked = workers > 1;
        _max = max;
        _shards = _locked
            ? Enumerable.Range(0, Shards).Select(_ => new StateSet(1 << 10)).ToArray()
            : [new StateSet()];
    }

    /// <summary>States admitted so far.</summary>
    public int Count => (int)Math.Min(Volatile.Read(ref _next), _max);

    StateSet ShardOf((ulong, ulong) key) => _locked ? _shards[(int)(key.Item1 >> (64 - ShardBits))] : _shards[0];

    /// <summary>Starts loading where <paramref name="key"/>'s lookup will probe (<see cref="StateSet.Touch"/>).</summary>
    public void Touch((ulong, ulong) key) => ShardOf(key).Touch(key);

    /// <summary>
    /// The id of the state <paramref name="key"/> names: known (<paramref name="known"/>), or admitted now with the next id,
    /// or -1 when the bound is reached and it is not admitted.
    /// </summary>
    public int Visit((ulong, ulong) key, out bool known)
    {
        var shard = ShardOf(key);
        if (!_locked) return VisitIn(shard, key, out known);
        lock (shard) return VisitIn(shard, key, out known);
    }

    int VisitIn(StateSet shard, (ulong, ulong) key, out bool known)
    {
        known = shard.TryGetValue(key, out int id);
        if (known) return id;
        if (Volatile.Read(ref _next) >= _max) return -1;
        id = _locked ? Interlocked.Increment(ref _next) - 1 : _next++;
        if (id >= _max) return -1;
        shard.Add(key, id);
        return id;
    }
}
