namespace SmmuActors.Tests.Litmus;

/// <summary>
/// Armv8 allows every sequentially consistent execution, so every final state some interleaving of the threads' instructions
/// reaches (each instruction whole, one memory, barriers doing nothing) must be among the explorer's finals. Small random tests
/// from a fixed seed are run both ways: by <see cref="Sc"/>, a reference interpreter of that interleaving, and by the explorer.
/// Two SC outcomes the explorer once called impossible (a store held back for its data behind a later LDAR, before d8a190b) made
/// five of these tests fail.
/// </summary>
[Trait("Suite", "Fast")]
public class SequentialConsistencyTests
{
    const int Seed = 1;
    const int Tests = 400;

    /// <summary>
    /// Tests the explorer may refuse (LitmusLimits): a bound, so that refusing more does not pass unnoticed. 44 since an
    /// atomic that may read the thread's own LDop's write is refused as a plain load is (40 before).
    /// </summary>
    const int MaxRefused = 44;

    [Fact]
    public void Every_sequentially_consistent_final_state_is_found() => Check(fenced: false);

    /// <summary>
    /// The other direction, where it can be had without herd: with a full barrier between every two instructions
    /// (<c>po; [dmb.full]; po</c> in bob puts all of po in ob), aarch64.cat allows exactly the sequentially consistent
    /// executions, so the explorer's final states must be the interleavings' and no more.
    /// </summary>
    [Fact]
    public void With_a_full_barrier_between_every_two_instructions_only_sequentially_consistent_final_states_are_found() => Check(fenced: true);

    static readonly Line FullBarrier = new("DMB SY", Step.Fence, Fence: Fence.Full);

    static void Check(bool fenced)
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        int refused = 0;
        for (int n = 0; n < Tests; n++)
        {
            var c = RandomCase.Generate(random);
            if (fenced) c = c with { Threads = c.Threads.Select(t => t.SelectMany(l => new[] { l, FullBarrier }).ToList()).ToList() };
            var (text, found, incomplete) = c.Explore($"sc{n}");
            if (found is null) { refused++; continue; }
            if (incomplete is not null) { failures.Add($"test {n}: search incomplete ({incomplete})\n{text}"); continue; }
            var sc = Sc(c);
            var missing = sc.Where(s => !found.Contains(s)).ToList();
            if (missing.Count > 0)
                failures.Add($"test {n}: {missing.Count} SC final state(s) of {found.Count} missing, such as\n  {missing.Min()}\n{text}");
            var extra = fenced ? found.Where(s => !sc.Contains(s)).ToList() : [];
            if (extra.Count > 0)
                failures.Add($"test {n}: {extra.Count} final state(s) no interleaving reaches, though fenced throughout, such as\n  {extra.Min()}\n{text}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {Tests} tests fail:\n\n{string.Join("\n", failures.Take(3))}");
        Assert.True(refused <= MaxRefused, $"{refused} of {Tests} tests refused, more than {MaxRefused}");
    }

    /// <summary>Every final state of every interleaving of whole lines, by a search over (program counters, registers, memory).</summary>
    static HashSet<string> Sc(RandomCase c)
    {
        var finals = new HashSet<string>();
        var seen = new HashSet<string>();
        var start = (Pcs: new int[c.Threads.Count], Regs: c.Threads.Select(_ => new long[32]).ToArray(), Mem: (long[])c.Initial.Clone());
        var stack = new Stack<(int[] Pcs, long[][] Regs, long[] Mem)>();
        stack.Push(start);
        while (stack.Count > 0)
        {
            var (pcs, regs, mem) = stack.Pop();
            if (!seen.Add(string.Join("/", pcs) + "/" + string.Join(",", regs.SelectMany(r => r)) + "/" + string.Join(",", mem))) continue;
            bool ended = true;
            for (int t = 0; t < c.Threads.Count; t++)
            {
                if (pcs[t] == c.Threads[t].Count) continue;
                ended = false;
                var p = (int[])pcs.Clone();
                var r = regs.Select(x => (long[])x.Clone()).ToArray();
                var m = (long[])mem.Clone();
                p[t] = RandomCase.Perform(c.Threads[t], pcs[t], r[t], m);
                stack.Push((p, r, m));
            }
            if (ended) finals.Add(c.Show(t => regs[t], l => mem[l]));
        }
        return finals;
    }
}
