using System.Runtime.InteropServices;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// The explored state graph, kept for the liveness verdicts: each state's parent and pick (for the
/// shortest path to it), each thread's wait there, and the edges with what they did to each thread's wait.
/// </summary>
sealed class StateGraph(int threads)
{
    public readonly int Threads = threads;
    public readonly List<int> Parent = new();
    public readonly List<int> Pick = new();       // index among the parent's enabled messages
    public readonly List<int> Choices = new();    // how many were enabled at the parent (1 = no recorded choice)
    public readonly List<int> Depth = new();
    public readonly List<byte> Waits = new();     // [state * threads + t]: the thread's WaitKind
    public readonly List<bool> Reduced = new();   // expanded through a persistent set smaller than its enabled deliveries
    public readonly List<(ulong, ulong)> Hashes = new();   // the state's hash: its name in every search, whatever its id
    readonly List<(int From, int To, int Completes, int TimesOut, int Pick, int Choices)> _edges = new();
    // Each state's edges out as a list threaded through the edges (the newest first): a pass over a state's edges needs
    // no adjacency built over the whole graph, which the cycle proviso would otherwise rebuild at every one of its rounds.
    readonly List<int> _firstOut = new();
    readonly List<int> _nextOut = new();

    public ReadOnlySpan<(int From, int To, int Completes, int TimesOut, int Pick, int Choices)> Edges => CollectionsMarshal.AsSpan(_edges);

    public int Count => Parent.Count;

    public int Add(int parent, int pick, int choices, int depth, ReadOnlySpan<byte> waits, (ulong, ulong) hash)
    {
        Hashes.Add(hash);
        Parent.Add(parent);
        Pick.Add(pick);
        Choices.Add(choices);
        Depth.Add(depth);
        Reduced.Add(false);
        _firstOut.Add(-1);
        foreach (var w in waits) Waits.Add(w);
        return Parent.Count - 1;
    }

    public void AddEdge(int from, int to, int completes, int timesOut, int pick, int choices)
    {
        _nextOut.Add(_firstOut[from]);
        _firstOut[from] = _edges.Count;
        _edges.Add((from, to, completes, timesOut, pick, choices));
    }

    public byte Wait(int state, int thread) => Waits[state * Threads + thread];

    /// <summary>
    /// Appends the edges leaving <paramref name="state"/> to <paramref name="into"/> in pick order (one edge per pick): a
    /// function of the graph, not of the order the edges were added in, so every search that built the same graph
    /// walks it alike.
    /// </summary>
    void OutEdges(int state, List<int> into)
    {
        int first = into.Count;
        for (int e = _firstOut[state]; e >= 0; e = _nextOut[e])
        {
            // Insertion by pick: a state has a handful of edges.
            int at = into.Count, pick = _edges[e].Pick;
            into.Add(e);
            while (at > first && _edges[into[at - 1]].Pick > pick) { into[at] = into[at - 1]; at--; }
            into[at] = e;
        }
    }

    /// <summary>
    /// The edges into each state, as flat arrays: the edges entering s are <c>edges[start[s] .. start[s + 1]]</c>. Built
    /// once the graph is complete (the liveness verdicts read them); what they decide does not depend on their order.
    /// </summary>
    public (int[] Start, int[] Edges) Incoming()
    {
        var start = new int[Count + 1];
        foreach (var e in _edges) start[e.To + 1]++;
        for (int s = 0; s < Count; s++) start[s + 1] += start[s];
        var at = start[..Count];
        var edges = new int[_edges.Count];
        for (int e = 0; e < _edges.Count; e++) edges[at[_edges[e].To]++] = e;
        return (start, edges);
    }

    /// <summary>
    /// The states to expand in full so that every cycle passes a fully expanded state (the cycle proviso of the
    /// reduction, docs/model.md "Search"): a depth-first pass over the reduced states reachable from <paramref name="fresh"/>
    /// (the states added since the last pass: a cycle of older ones was broken by an earlier one), and the source of each
    /// edge that closes a cycle among them. Every cycle of reduced states met has such an edge. Canonical: the pass starts
    /// from the fresh states in hash order and follows each state's edges in pick order, so any search that built the
    /// same graph, numbered in any order, gets the same states (in hash order).
    /// </summary>
    public List<int> CycleBreakers(IEnumerable<int> fresh)
    {
        var color = new byte[Count];   // 0 unvisited, 1 on the path, 2 done
        var breakers = new HashSet<int>();
        // The path's states, each with its edges (edges[Begin .. End], in pick order) and the next of them to follow:
        // the edges of every state on the path are stacked in one list.
        var path = new Stack<(int State, int Begin, int Next, int End)>();
        var edges = new List<int>();
        foreach (int root in ByHash(fresh.Where(s => Reduced[s])))
        {
            if (color[root] != 0) continue;
            Enter(root);
            while (path.Count > 0)
            {
                var (s, begin, next, end) = path.Pop();
                if (next == end)
                {
                    color[s] = 2;
                    edges.RemoveRange(begin, end - begin);
                    continue;
                }
                path.Push((s, begin, next + 1, end));
                int to = _edges[edges[next]].To;
                if (!Reduced[to] || color[to] == 2) continue;
                if (color[to] == 1) { breakers.Add(s); continue; }
                Enter(to);
            }
        }
        return [.. ByHash(breakers)];

        void Enter(int state)
        {
            color[state] = 1;
            int begin = edges.Count;
            OutEdges(state, edges);
            path.Push((state, begin, begin, edges.Count));
        }
    }

    /// <summary>
    /// <paramref name="states"/> in the order of their hashes: sorted by the hash's first half (a sort of primitive keys),
    /// then each run of equal first halves by the second.
    /// </summary>
    int[] ByHash(IEnumerable<int> states)
    {
        var ids = states.ToArray();
        var keys = new ulong[ids.Length];
        for (int i = 0; i < ids.Length; i++) keys[i] = Hashes[ids[i]].Item1;
        Array.Sort(keys, ids);
        for (int i = 0, j; i < ids.Length; i = j)
        {
            for (j = i + 1; j < ids.Length && keys[j] == keys[i]; j++) { }
            if (j - i < 2) continue;
            var second = new ulong[j - i];
            for (int k = i; k < j; k++) second[k - i] = Hashes[ids[k]].Item2;
            second.AsSpan().Sort(ids.AsSpan(i, j - i));
        }
        return ids;
    }

    /// <summary>Makes each state's parent, pick and depth those of a shortest path from the root (breadth-first over the edges).</summary>
    public void Shorten()
    {
        var done = new bool[Count];
        var queue = new Queue<int>();
        var edges = new List<int>();
        done[0] = true;
        Depth[0] = 0;
        queue.Enqueue(0);
        while (queue.Count > 0)
        {
            int s = queue.Dequeue();
            edges.Clear();
            OutEdges(s, edges);
            foreach (int e in edges)
            {
                var (_, to, _, _, pick, choices) = _edges[e];
                if (done[to]) continue;
                done[to] = true;
                Parent[to] = s;
                Pick[to] = pick;
                Choices[to] = choices;
                Depth[to] = Depth[s] + 1;
                queue.Enqueue(to);
            }
        }
    }

    /// <summary>The recorded choices that replay the shortest path found to <paramref name="state"/> (steps with one enabled message record none).</summary>
    public long[] PathTo(int state, int lastPick = -1, int lastChoices = 1)
    {
        var picks = new List<long>();
        if (lastPick >= 0 && lastChoices > 1) picks.Add(lastPick);
        for (int s = state; Parent[s] >= 0; s = Parent[s])
            if (Choices[s] > 1) picks.Add(Pick[s]);
        picks.Reverse();
        return picks.ToArray();
    }
}
