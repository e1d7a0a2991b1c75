using System.Runtime.InteropServices;
using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Litmus;

/// <summary>
/// Runs a litmus test exhaustively: every delivery order the ordering rules allow and every write each load
/// may read (<see cref="LitmusMemory"/>), states merged by their hash, depth-first. Each end state where every
/// thread has finished gives one final state; the set of them is what herd7 lists as "States".
/// </summary>
public static class LitmusExplorer
{
    public const byte MemoryActor = 0;
    public const long DefaultMaxStates = 2_000_000;

    public static LitmusRun Run(LitmusTest test, CancellationToken cancel, long maxStates = DefaultMaxStates)
    {
        int actors = test.Threads.Count + 1;
        var components = new IComponent[actors];
        components[MemoryActor] = new LitmusMemory(test.InitialMemory, actors);
        for (int t = 0; t < test.Threads.Count; t++)
            components[t + 1] = new LitmusCpu(test.Threads[t], test.File, (byte)(t + 1), test.Layout);
        var fabric = new Fabric(actors, new SearchStrategy(), [], null, recordTrace: false, recordChoices: false);
        for (int t = 0; t < test.Threads.Count; t++) fabric.StartThread((byte)(t + 1), t, [0]);

        var finals = new Dictionary<string, LitmusFinal>();
        var seen = new HashSet<(ulong, ulong)> { Hash(components, fabric) };
        var stack = new Stack<(IComponent[] C, Fabric F)>();
        stack.Push((components, fabric));
        var enabled = new List<int>(8);
        var outbox = new Outbox();
        string? incomplete = null;
        while (stack.Count > 0)
        {
            if (cancel.IsCancellationRequested) { incomplete = "cancelled"; break; }
            var (c, f) = stack.Pop();
            int n = f.Enabled(enabled);
            if (n == 0)
            {
                var end = Final(test, c);
                finals.TryAdd(Key(end), end);
                continue;
            }
            Reduce(f, enabled);
            n = enabled.Count;
            for (int k = 0; k < n; k++)
            {
                bool reuse = k == n - 1;
                var cc = reuse ? c : c.Select(x => x.Clone()).ToArray();
                var ff = reuse ? f : f.Clone();
                var m = ff.Take(enabled[k]);
                outbox.Begin(m.Dst);
                cc[m.Dst].Handle(m, outbox);
                ff.Accept(m, CollectionsMarshal.AsSpan(outbox.Messages), outbox.Events, CollectionsMarshal.AsSpan(outbox.Controls));
                // A store-exclusive chose to write and another write came between it and its load-exclusive's read, or a CAS
                // guessed to fail succeeds: no such execution.
                if (((LitmusMemory)cc[MemoryActor]).Infeasible || cc[m.Dst] is LitmusCpu { Infeasible: true }) continue;
                var h = Hash(cc, ff);
                // Full: a new state is one past the bound, which the count then reports as explore does (the bound itself).
                if (seen.Count >= maxStates && !seen.Contains(h)) { incomplete = $"maxStates ({maxStates})"; break; }
                if (!seen.Add(h)) continue;
                stack.Push((cc, ff));
            }
            if (incomplete is not null) break;
        }
        var ordered = finals.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToArray();
        return new LitmusRun(ordered, seen.Count, incomplete);
    }

    /// <summary>
    /// Partial-order reduction (docs/model.md, "Memory model"): narrows <paramref name="enabled"/> to a persistent
    /// set. A delivery to a thread, or of a barrier, changes only that thread's part of the state and sends only
    /// its later messages, which no rule puts ahead of anything in flight: it commutes with every other delivery,
    /// so it alone is explored; when it is one of a store-exclusive's two outcomes, of a CAS's two register sources, of a held-back load's two
    /// ways, or of the two ways past a held-back CAS that may fail, the two are explored, as they exclude each other. Failing that, one load's read choices: the writes it may read were fixed when it was
    /// delivered and each choice touches only that thread's coherence record, so only which write, not when, matters.
    /// </summary>
    static void Reduce(Fabric f, List<int> enabled)
    {
        for (int k = 0; k < enabled.Count; k++)
        {
            var m = f.Peek(enabled[k]);
            if (m.Dst != MemoryActor || m.Kind == MessageKind.Barrier)
            {
                int only = enabled[k];
                enabled.RemoveAll(e => e != only && !Outcomes(f.Peek(e), m));
                return;
            }
        }
        var (first, last) = f.ReadChoices(enabled);
        if (first < 0) return;
        enabled.RemoveRange(last + 1, enabled.Count - last - 1);
        enabled.RemoveRange(0, first);
    }

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are the two ways of one choice of a thread (<see cref="OrderingRules.IsWay"/>).</summary>
    static bool Outcomes(in Message a, in Message b) => OrderingRules.IsWay(a.Kind) && b.Kind == a.Kind && a.Dst == b.Dst && a.C == b.C;

    /// <summary>The end of one execution: every thread must have run to its end (a thread stuck mid-way is a model bug).</summary>
    static LitmusFinal Final(LitmusTest test, IComponent[] c)
    {
        var regs = new List<long[]>(test.Threads.Count);
        for (int t = 0; t < test.Threads.Count; t++)
        {
            var cpu = (LitmusCpu)c[t + 1];
            if (!cpu.Finished) throw new InvalidOperationException($"{test.Name}: thread P{t} stopped before its end with nothing in flight");
            regs.Add(cpu.FinalRegisters());
        }
        var mem = (LitmusMemory)c[MemoryActor];
        return new LitmusFinal(regs, Enumerable.Range(0, test.Locations.Count).Select(mem.Read).ToArray());
    }

    static string Key(LitmusFinal f) =>
        string.Join("|", f.Registers.Select(r => string.Join(",", r))) + "|" + string.Join(",", f.Memory);

    static (ulong, ulong) Hash(IComponent[] c, Fabric f)
    {
        var h = new StateHasher(0x117);
        foreach (var x in c) x.Hash(ref h);
        f.HashInFlight(ref h);
        return h.Value;
    }
}
