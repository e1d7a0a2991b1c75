namespace SmmuActors.Model.Exploration;

/// <summary>
/// Work shared between the workers of one search phase. Each worker searches depth first from its own stack and takes
/// from here only when that is empty; a worker with work to spare gives the bottom of its stack (the states nearest the
/// root, the largest subtrees) while another waits. The phase ends when every worker waits and nothing is here, or when
/// <see cref="Stop"/> is called.
/// </summary>
sealed class WorkPool<T>(int workers)
{
    readonly Stack<T> _items = new();
    int _idle;
    bool _over;
    volatile bool _hungry;

    /// <summary>A worker is waiting for work: one with some to spare should give it.</summary>
    public bool Hungry => _hungry;

    public void Add(T item)
    {
        lock (_items) _items.Push(item);
    }

    /// <summary>Waits for an item; false when the phase is over (every worker idle with nothing left, or stopped).</summary>
    public bool Take(out T item)
    {
        lock (_items)
        {
            while (true)
            {
                if (_items.TryPop(out item!)) { _hungry = _idle > 0 && _items.Count == 0; return true; }
                if (_over) return false;
                if (++_idle == workers)
                {
                    _over = true;
                    Monitor.PulseAll(_items);
                    return false;
                }
                _hungry = true;
                Monitor.Wait(_items);
                _idle--;
            }
        }
    }

    /// <summary>Moves the bottom half of <paramref name="stack"/> (its first items) here, for a waiting worker.</summary>
    public void Give(List<T> stack)
    {
        int n = stack.Count / 2;
        if (n == 0) return;
        lock (_items)
        {
            for (int i = n - 1; i >= 0; i--) _items.Push(stack[i]);
            _hungry = false;
            Monitor.PulseAll(_items);
        }
        stack.RemoveRange(0, n);
    }

    /// <summary>Ends the phase: every waiting worker returns, and every taking one will.</summary>
    public void Stop()
    {
        lock (_items)
        {
            _over = true;
            Monitor.PulseAll(_items);
        }
    }

    /// <summary>Opens the next phase (after every worker of the last has returned).</summary>
    public void Reopen()
    {
        _idle = 0;
        _over = false;
        _hungry = false;
    }
}
