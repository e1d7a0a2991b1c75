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
    public readonly List<(int From, int To, int Completes, int TimesOut, int Pick, int Choices)> Edges = new();

    public int Count => Parent.Count;

    public int Add(int parent, int pick, int choices, int depth, ReadOnlySpan<byte> waits, (ulong, ulong) hash)
    {
        Hashes.Add(hash);
        Parent.Add(parent);
        Pick.Add(pick);
        Choices.Add(choices);
        Depth.Add(depth);
        Reduced.Add(false);
        foreach (var w in waits) Waits.Add(w);
        return Parent.Count - 1;
    }

    public byte Wait(int state, int thread) => Waits[state * Threads + thread];

    /// <summary>
    /// The edges by state, as flat arrays: the edges of state s are <c>edges[start[s] .. start[s + 1]]</c>, leaving s
    /// (or, <paramref name="incoming"/>, entering it), in pick order: a function of the graph, not of the order the edges
    /// were added in, so every search that built the same graph walks it alike. No list per state.
    /// </summary>
    public (int[] Start, int[] Edges) Adjacency(bool incoming)
    {
        // The graph only grows: the same counts mean the same graph, and the passes after a search (the last cycle
        // pass, the shortest paths, liveness) ask for the same adjacency over millions of edges.
        var cached = incoming ? _into : _outOf;
        if (cached is { } c && c.States == Count && c.EdgeCount == Edges.Count) return (c.Start, c.Edges);
        var built = Build(incoming);
        if (incoming) _into = (Count, Edges.Count, built.Start, built.Edges);
        else _outOf = (Count, Edges.Count, built.Start, built.Edges);
        return built;
    }

    (int States, int EdgeCount, int[] Start, int[] Edges)? _outOf, _into;

    (int[] Start, int[] Edges) Build(bool incoming)
    {
        // Two counting passes, by pick and then (stable) by state.
        var byPick = new int[byte.MaxValue + 2];
        foreach (var e in Edges) byPick[e.Pick + 1]++;
        for (int k = 0; k <= byte.MaxValue; k++) byPick[k + 1] += byPick[k];
        var picked = new int[Edges.Count];
        for (int e = 0; e < Edges.Count; e++) picked[byPick[Edges[e].Pick]++] = e;
        var start = new int[Count + 1];
        foreach (var e in Edges) start[(incoming ? e.To : e.From) + 1]++;
        for (int s = 0; s < Count; s++) start[s + 1] += start[s];
        var at = start[..Count];
        var edges = new int[Edges.Count];
        foreach (int e in picked) edges[at[incoming ? Edges[e].To : Edges[e].From]++] = e;
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
        var (start, from) = Adjacency(incoming: false);
        var color = new byte[Count];   // 0 unvisited, 1 on the path, 2 done
        var breakers = new HashSet<int>();
        var path = new Stack<(int State, int Next)>();
        foreach (int root in ByHash(fresh))
        {
            if (!Reduced[root] || color[root] != 0) continue;
            color[root] = 1;
            path.Push((root, start[root]));
            while (path.Count > 0)
            {
                var (s, next) = path.Pop();
                if (next == start[s + 1]) { color[s] = 2; continue; }
                path.Push((s, next + 1));
                int to = Edges[from[next]].To;
                if (!Reduced[to] || color[to] == 2) continue;
                if (color[to] == 1) { breakers.Add(s); continue; }
                color[to] = 1;
                path.Push((to, start[to]));
            }
        }
        return [.. ByHash(breakers)];
    }

    /// <summary><paramref name="states"/> in the order of their hashes (a sort on 128-bit keys, not a comparer per pair).</summary>
    int[] ByHash(IEnumerable<int> states)
    {
        var ids = states.ToArray();
        var keys = new UInt128[ids.Length];
        for (int i = 0; i < ids.Length; i++) keys[i] = new UInt128(Hashes[ids[i]].Item1, Hashes[ids[i]].Item2);
        Array.Sort(keys, ids);
        return ids;
    }

    /// <summary>Makes each state's parent, pick and depth those of a shortest path from the root (breadth-first over the edges).</summary>
    public void Shorten()
    {
        var (start, from) = Adjacency(incoming: false);
        var done = new bool[Count];
        var queue = new Queue<int>();
        done[0] = true;
        Depth[0] = 0;
        queue.Enqueue(0);
        while (queue.Count > 0)
        {
            int s = queue.Dequeue();
            for (int i = start[s]; i < start[s + 1]; i++)
            {
                var (_, to, _, _, pick, choices) = Edges[from[i]];
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
