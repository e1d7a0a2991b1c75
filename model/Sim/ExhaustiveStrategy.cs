
namespace SmmuActors.Model.Sim;

/// <summary>
/// Depth-first enumeration of every choice sequence within the workload's bounds, one execution
/// at a time (each re-executed from the start, so the model needs no cloning): thread start
/// offsets, the delay menu on posted writes and SMMU memory reads (at most MaxDelayed above the
/// base per execution), and the order of same-time messages to one actor.
/// </summary>
public sealed class ExhaustiveStrategy(DelaySpec delays) : IStrategy
{
    readonly List<(int Index, int Count)> _stack = new();
    int _depth;
    int _delayed;

    /// <summary>True while the run is still replaying choices made by earlier runs.</summary>
    public bool InPrefix => _depth < _stack.Count;

    int Choose(int count)
    {
        if (_depth < _stack.Count) return _stack[_depth++].Index;
        _stack.Add((0, count));
        _depth++;
        return 0;
    }

    public long Delay(in Message m, DelayClass cls)
    {
        if (cls is not (DelayClass.Posted or DelayClass.DeviceRead)) return delays.Min;
        if (_delayed >= delays.MaxDelayed || delays.Menu.Count == 1) return delays.Menu[0];
        int i = Choose(delays.Menu.Count);
        if (i > 0) _delayed++;
        return delays.Menu[i];
    }

    public int Tie(int count) => Choose(count);

    public long Start(int thread, IReadOnlyList<long> menu) => menu[Choose(menu.Count)];

    public void Hash(ref StateHasher h) => h.Add(_delayed);

    /// <summary>Moves to the next unexplored choice sequence; false when the whole bounded space is done.</summary>
    public bool Advance()
    {
        _depth = 0;
        _delayed = 0;
        while (_stack.Count > 0)
        {
            var (i, c) = _stack[^1];
            if (i + 1 < c)
            {
                _stack[^1] = (i + 1, c);
                return true;
            }
            _stack.RemoveAt(_stack.Count - 1);
        }
        return false;
    }
}
