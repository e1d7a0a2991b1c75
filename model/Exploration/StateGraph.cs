using System.Diagnostics;
using System.Numerics;
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
    readonly List<GraphEdge> _edges = new();
    // Each state's edges out as a list threaded through the edges, kept in pick order (one edge per pick): a pass over a
    // state's edges walks it as it is, a function of the graph and not of the order the edges were added in, so every
    // search that built the same graph walks it alike; and needs no adjacency built over the whole graph, which the
    // cycle proviso would otherwise rebuild at every one of its rounds.
    readonly List<int> _firstOut = new();
    readonly List<int> _nextOut = new();

    public ReadOnlySpan<GraphEdge> Edges => CollectionsMarshal.AsSpan(_edges);

    public int Count => Parent.Count;

    /// <summary>States recorded (<see cref="Put"/>): <see cref="Count"/> once no blank is left.</summary>
    public int Recorded { get; private set; }

    /// <summary>Adds a state with the next id, which it returns.</summary>
    public int Add(int parent, int pick, int choices, int depth, ReadOnlySpan<byte> waits, (ulong, ulong) hash)
    {
        int id = Count;
        Put(id, parent, pick, choices, depth, waits, hash);
        return id;
    }

    /// <summary>
    /// Records state <paramref name="id"/>, whose id the visited set gave it: several workers hand their states over in
    /// any order, each as soon as its log is long enough, so ids above it may be recorded first and ids below it later
    /// (the graph holds a blank for each until then). Its edges out may have come before it; they are kept.
    /// </summary>
    public void Put(int id, int parent, int pick, int choices, int depth, ReadOnlySpan<byte> waits, (ulong, ulong) hash)
    {
        Record(id, waits, hash);
        Parent[id] = parent;
        Pick[id] = pick;
        Choices[id] = choices;
        Depth[id] = depth;
    }

    /// <summary>Records state <paramref name="id"/> as <see cref="Put"/> does, but not its path: it keeps the one it has, if any.</summary>
    public void Record(int id, ReadOnlySpan<byte> waits, (ulong, ulong) hash)
    {
        Cover(id);
        Recorded++;
        Hashes[id] = hash;
        waits.CopyTo(CollectionsMarshal.AsSpan(Waits).Slice(id * Threads, Threads));
    }

    /// <summary>
    /// Gives <paramref name="state"/> the path through the edge from <paramref name="from"/>, unless it has one: called for
    /// each edge in the order the search took them, the first edge into a state is the one that reached it first.
    /// </summary>
    public void ReachedBy(int state, int from, int pick, int choices)
    {
        if (HasPath(state)) return;
        Parent[state] = from;
        Pick[state] = pick;
        Choices[state] = choices;
    }

    /// <summary>
    /// Makes the graph hold state <paramref name="id"/>, blank where not recorded yet: not reduced, no edges out. Edges
    /// (<see cref="AddEdge"/>) may join blanks.
    /// </summary>
    public void Cover(int id)
    {
        int count = Count;
        if (id < count) return;
        int n = id + 1;
        Grow(Hashes, n); Grow(Parent, n); Grow(Pick, n); Grow(Choices, n); Grow(Depth, n); Grow(Reduced, n); Grow(_firstOut, n);
        Grow(Waits, n * Threads);
        CollectionsMarshal.AsSpan(_firstOut)[count..].Fill(-1);
    }

    /// <summary>Makes <paramref name="list"/> <paramref name="count"/> long, doubling its room as adding one at a time would.</summary>
    static void Grow<T>(List<T> list, int count)
    {
        if (list.Capacity < count) list.Capacity = Math.Max(count, Math.Max(16, 2 * list.Capacity));
        CollectionsMarshal.SetCount(list, count);
    }

    public void AddEdge(int from, int to, int completes, int timesOut, int pick, int choices)
    {
        int e = _edges.Count;
        // A pick and a number of choices fit two bytes (PickPath.Max); a thread index is well below 127.
        _edges.Add(new GraphEdge(from, to, checked((sbyte)completes), checked((sbyte)timesOut), checked((ushort)pick), checked((ushort)choices)));
        var edges = CollectionsMarshal.AsSpan(_edges);
        var next = CollectionsMarshal.AsSpan(_nextOut);
        int head = _firstOut[from];
        if (head < 0 || edges[head].Pick > pick)
        {
            _nextOut.Add(head);
            _firstOut[from] = e;
            return;
        }
        // After the last edge of a lower pick: a state has a handful, mostly added in pick order.
        int at = head;
        while (next[at] >= 0 && edges[next[at]].Pick < pick) at = next[at];
        _nextOut.Add(next[at]);
        CollectionsMarshal.AsSpan(_nextOut)[at] = e;
    }

    public byte Wait(int state, int thread) => Waits[state * Threads + thread];

    /// <summary>
    /// The edges into each state, as flat arrays: the edges entering s are <c>edges[start[s] .. start[s + 1]]</c>. Built
    /// once the graph is complete (the liveness verdicts read them); what they decide does not depend on their order.
    /// </summary>
    public (int[] Start, int[] Edges) Incoming()
    {
        var all = Edges;
        var start = new int[Count + 1];
        foreach (ref readonly var e in all) start[e.To + 1]++;
        for (int s = 0; s < Count; s++) start[s + 1] += start[s];
        var at = start[..Count];
        var edges = new int[all.Length];
        for (int e = 0; e < all.Length; e++) edges[at[all[e].To]++] = e;
        return (start, edges);
    }

    /// <summary>
    /// The states to expand in full so that every cycle passes a fully expanded state (the cycle proviso of the
    /// reduction, docs/model.md "Search"): a depth-first pass over the reduced states reachable from <paramref name="fresh"/>
    /// (the states added since the last pass: a cycle of older ones was broken by an earlier one), and the source of each
    /// edge that closes a cycle among them. Every cycle of reduced states met has such an edge. Canonical: the pass starts
    /// from the fresh states in hash order and follows each state's edges in pick order, so any search that built the
    /// same graph, numbered in any order, gets the same states (in hash order). A first pass in id order, which ends at the
    /// first cycle, tells whether there is any: the states either pass reaches are the same, so when it finds none, none
    /// is the answer, without sorting millions of states by hash and walking them in that scattered order (reviewer-race's
    /// spaces have no cycle, and sorting and walking them was about 8 % of their search).
    /// </summary>
    public List<int> CycleBreakers(IEnumerable<int> fresh)
    {
        var roots = fresh.Where(s => Reduced[s]).ToArray();
        if (!CloseCycles(roots, firstOnly: true)) return [];
        var breakers = new HashSet<int>();
        CloseCycles(ByHash(roots), firstOnly: false, breakers);
        return [.. ByHash(breakers)];
    }

    /// <summary>
    /// The depth-first pass of <see cref="CycleBreakers"/> from <paramref name="roots"/> in their order, over reduced
    /// states: whether an edge closes a cycle, each such edge's source into <paramref name="breakers"/>, or only up to the
    /// first when <paramref name="firstOnly"/>.
    /// </summary>
    bool CloseCycles(int[] roots, bool firstOnly, HashSet<int>? breakers = null)
    {
        var color = new byte[Count];   // 0 unvisited, 1 on the path, 2 done
        var reduced = CollectionsMarshal.AsSpan(Reduced);
        var edges = Edges;
        var next = CollectionsMarshal.AsSpan(_nextOut);
        var firstOut = CollectionsMarshal.AsSpan(_firstOut);
        bool found = false;
        // The path's states, each with the next of its edges to follow (-1: none left).
        var path = new List<(int State, int Edge)>();
        foreach (int root in roots)
        {
            if (color[root] != 0) continue;
            color[root] = 1;
            path.Add((root, firstOut[root]));
            while (path.Count > 0)
            {
                ref var top = ref CollectionsMarshal.AsSpan(path)[^1];
                var (s, e) = top;
                if (e < 0)
                {
                    color[s] = 2;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }
                top.Edge = next[e];
                int to = edges[e].To;
                if (!reduced[to] || color[to] == 2) continue;
                if (color[to] == 1)
                {
                    found = true;
                    if (firstOnly) return true;
                    breakers!.Add(s);
                    continue;
                }
                color[to] = 1;
                path.Add((to, firstOut[to]));
            }
        }
        return found;
    }

    /// <summary>
    /// <paramref name="states"/> in the order of their hashes (first half, then second): counted into buckets by the top
    /// bits of the first half, which are uniform, about sixteen states a bucket, then each bucket sorted alone. (One sort
    /// of the whole array took a third of the cycle proviso's first pass over a few million states.)
    /// </summary>
    int[] ByHash(IEnumerable<int> states)
    {
        var ids = states.ToArray();
        var hashes = CollectionsMarshal.AsSpan(Hashes);
        var keyed = new (ulong, ulong, int)[ids.Length];
        int bits = Math.Clamp(BitOperations.Log2((uint)Math.Max(1, ids.Length)) - 4, 1, 20);
        var start = new int[(1 << bits) + 1];
        foreach (int id in ids) start[(int)(hashes[id].Item1 >> (64 - bits)) + 1]++;
        for (int b = 0; b < 1 << bits; b++) start[b + 1] += start[b];
        var at = start[..^1];
        foreach (int id in ids)
        {
            var (a, c) = hashes[id];
            keyed[at[(int)(a >> (64 - bits))]++] = (a, c, id);
        }
        for (int b = 0; b < 1 << bits; b++)
            for (int i = start[b] + 1; i < start[b + 1]; i++)
            {
                // Insertion: a bucket holds a handful.
                var x = keyed[i];
                int j = i - 1;
                for (; j >= start[b] && (keyed[j].Item1 > x.Item1 || keyed[j].Item1 == x.Item1 && keyed[j].Item2 > x.Item2); j--) keyed[j + 1] = keyed[j];
                keyed[j + 1] = x;
            }
        for (int i = 0; i < ids.Length; i++) ids[i] = keyed[i].Item3;
        return ids;
    }

    /// <summary>
    /// Makes each state's parent, pick and depth those of a shortest path from the root (breadth-first over the edges);
    /// returns the greatest depth, the last state's the pass reaches.
    /// </summary>
    public int Shorten()
    {
        Breadth(null, 0, null, out int deepest);
        return deepest;
    }

    /// <summary>
    /// <see cref="Shorten"/> only as far as a stopped search's witnesses need, most often a small part of its graph: level by
    /// level until the levels walked hold, for every kind in <paramref name="wanted"/>, the shallowest witness and every
    /// other as shallow (so the witness kept is the one the whole pass would keep). <paramref name="marks"/>[s]: the kinds
    /// state s shows itself (<see cref="MarkAt"/>: a final state's), and those a transition out of it shows one level deeper
    /// (<see cref="MarkAfter"/>). Returns which states were walked: each has a shortest path; every other keeps the path
    /// that first reached it, if it has one yet (<see cref="HasPath"/>). The walk ends after <paramref name="budget"/> too,
    /// wherever it is: a stop is to answer within a second, and a breadth-first search's witnesses can lie as deep as most
    /// of its states.
    /// </summary>
    public bool[] ShortenFor(uint[] marks, uint wanted, TimeSpan budget) => Breadth(marks, wanted, budget, out _);

    /// <summary>True when <paramref name="state"/> has a path from the root: the root, and every state a path reached first or a walk reached.</summary>
    public bool HasPath(int state) => state == 0 || Choices[state] > 0;

    /// <summary>
    /// The breadth-first pass, level by level; without <paramref name="marks"/>, over every state reachable; with a
    /// <paramref name="budget"/>, until it is spent (every state discovered so far has its shortest path).
    /// </summary>
    bool[] Breadth(uint[]? marks, uint wanted, TimeSpan? budget, out int deepest)
    {
        var clock = Stopwatch.StartNew();
        int n = Count;
        var parent = CollectionsMarshal.AsSpan(Parent);
        var pick = CollectionsMarshal.AsSpan(Pick);
        var choices = CollectionsMarshal.AsSpan(Choices);
        var depth = CollectionsMarshal.AsSpan(Depth);
        var edges = Edges;
        var next = CollectionsMarshal.AsSpan(_nextOut);
        var firstOut = CollectionsMarshal.AsSpan(_firstOut);
        var done = new bool[n];
        // Every state enters the queue once: a flat array of them, read from the front.
        var queue = new int[n];
        int start = 0, tail = 0;
        done[0] = true;
        depth[0] = 0;
        queue[tail++] = 0;
        uint found = 0, deeper = 0;
        deepest = 0;
        while (start < tail)
        {
            // queue[start..end) is one level, and every state up to it has been reached.
            int end = tail;
            deepest = depth[queue[start]];
            if (marks is not null)
            {
                found |= deeper;
                deeper = 0;
                for (int i = start; i < end; i++)
                {
                    found |= marks[queue[i]] & 0xFFFF;
                    deeper |= marks[queue[i]] >> 16;
                }
                if ((found & wanted) == wanted) break;
            }
            for (int i = start; i < end; i++)
            {
                if ((i & 4095) == 0 && clock.Elapsed >= budget) return done;
                int s = queue[i];
                for (int e = firstOut[s]; e >= 0; e = next[e])
                {
                    ref readonly var edge = ref edges[e];
                    int to = edge.To;
                    if (done[to]) continue;
                    done[to] = true;
                    parent[to] = s;
                    pick[to] = edge.Pick;
                    choices[to] = edge.Choices;
                    depth[to] = depth[s] + 1;
                    queue[tail++] = to;
                }
            }
            start = end;
        }
        return done;
    }

    /// <summary>The mark (<see cref="ShortenFor"/>) of a kind a state shows itself.</summary>
    public static uint MarkAt(int kind) => 1u << kind;

    /// <summary>The mark (<see cref="ShortenFor"/>) of a kind a transition out of a state shows.</summary>
    public static uint MarkAfter(int kind) => 1u << (16 + kind);

    /// <summary>The deliveries on the path to <paramref name="state"/> that <see cref="PathTo"/> replays.</summary>
    public int Steps(int state)
    {
        int steps = 0;
        for (int s = state; Parent[s] >= 0; s = Parent[s]) steps++;
        return steps;
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
