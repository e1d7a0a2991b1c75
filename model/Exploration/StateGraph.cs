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
    public readonly List<(int From, int To, int Completes, int TimesOut, int Pick, int Choices)> Edges = new();

    public int Count => Parent.Count;

    public int Add(int parent, int pick, int choices, int depth, ReadOnlySpan<byte> waits)
    {
        Parent.Add(parent);
        Pick.Add(pick);
        Choices.Add(choices);
        Depth.Add(depth);
        foreach (var w in waits) Waits.Add(w);
        return Parent.Count - 1;
    }

    public byte Wait(int state, int thread) => Waits[state * Threads + thread];

    /// <summary>
    /// The edges by state, as flat arrays: the edges of state s are <c>edges[start[s] .. start[s + 1]]</c>, leaving s
    /// (or, <paramref name="incoming"/>, entering it), in the order they were added. No list per state.
    /// </summary>
    public (int[] Start, int[] Edges) Adjacency(bool incoming)
    {
        var start = new int[Count + 1];
        foreach (var e in Edges) start[(incoming ? e.To : e.From) + 1]++;
        for (int s = 0; s < Count; s++) start[s + 1] += start[s];
        var at = start[..Count];
        var edges = new int[Edges.Count];
        for (int e = 0; e < Edges.Count; e++) edges[at[incoming ? Edges[e].To : Edges[e].From]++] = e;
        return (start, edges);
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
