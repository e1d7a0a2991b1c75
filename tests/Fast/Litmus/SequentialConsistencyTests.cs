using System.Text;
using SmmuActors.Model.Litmus;

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

    /// <summary>Tests the explorer may refuse (LitmusLimits): a bound, so that refusing more does not pass unnoticed.</summary>
    const int MaxRefused = 40;

    /// <summary>X10, X11, X12 hold x's, y's and z's addresses in every thread; values go in W0 to W9.</summary>
    const int AddressRegister = 10;

    static readonly string[] Names = ["x", "y", "z"];

    /// <summary>One line of a thread: its text, what it does, and for a branch whether it is taken and the label it goes to.</summary>
    sealed record Line(string Text, Action<long[], long[]> Effect, Func<long[], bool>? Taken = null, string? Target = null);

    /// <summary>A test's threads, the registers each writes (what the final states are compared by), and its initial memory.</summary>
    sealed record Case(List<List<Line>> Threads, List<List<int>> Written, long[] Initial)
    {
        public string Text()
        {
            var init = new StringBuilder();
            for (int l = 0; l < Initial.Length; l++) init.Append($"int {Names[l]}={Initial[l]}; ");
            for (int t = 0; t < Threads.Count; t++)
                for (int l = 0; l < Initial.Length; l++) init.Append($"{t}:X{AddressRegister + l}={Names[l]}; ");
            int rows = Threads.Max(c => c.Count);
            var program = Enumerable.Range(0, rows).Select(k => " " + string.Join(" | ", Threads.Select(c => k < c.Count ? c[k].Text : "")) + " ;");
            string header = string.Join(" | ", Threads.Select((_, t) => $"P{t}"));
            return $"AArch64 SC\n{{ {init}}}\n {header} ;\n{string.Join("\n", program)}\nexists (0:X0=0)\n";
        }
    }

    [Fact]
    public void Every_sequentially_consistent_final_state_is_found() => Check(fenced: false);

    /// <summary>
    /// The other direction, where it can be had without herd: with a full barrier between every two instructions
    /// (<c>po; [dmb.full]; po</c> in bob puts all of po in ob), aarch64.cat allows exactly the sequentially consistent
    /// executions, so the explorer's final states must be the interleavings' and no more.
    /// </summary>
    [Fact]
    public void With_a_full_barrier_between_every_two_instructions_only_sequentially_consistent_final_states_are_found() => Check(fenced: true);

    static readonly Line FullBarrier = new("DMB SY", (_, _) => { });

    static void Check(bool fenced)
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        int refused = 0;
        for (int n = 0; n < Tests; n++)
        {
            var c = Generate(random);
            if (fenced) c = c with { Threads = c.Threads.Select(t => t.SelectMany(l => new[] { l, FullBarrier }).ToList()).ToList() };
            string text = c.Text();
            LitmusTest test;
            LitmusRun run;
            try
            {
                test = LitmusParser.Parse(text, $"sc{n}.litmus");
                run = LitmusExplorer.Run(test, CancellationToken.None);
            }
            // A malformed test is the generator's bug, so only a refusal is counted.
            catch (LitmusException e) when (!e.Malformed)
            {
                refused++;
                continue;
            }
            if (run.IncompleteReason is { } why) { failures.Add($"test {n}: search incomplete ({why})\n{text}"); continue; }
            int[] location = Enumerable.Range(0, c.Initial.Length).Select(l => test.Locations.ToList().IndexOf(Names[l])).ToArray();
            var found = run.Finals.Select(f => Show(c, t => f.Registers[t], l => f.Memory[location[l]])).ToHashSet();
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

    /// <summary>A final state as the written registers and memory show it: <c>0:X0=1 1:X2=0 x=1 y=2</c>.</summary>
    static string Show(Case c, Func<int, IReadOnlyList<long>> registers, Func<int, long> memory) =>
        string.Join(" ", c.Written.SelectMany((w, t) => w.Select(r => $"{t}:X{r}={registers(t)[r]}"))
            .Concat(Enumerable.Range(0, c.Initial.Length).Select(l => $"{Names[l]}={memory(l)}")));

    /// <summary>Every final state of every interleaving of whole lines, by a search over (program counters, registers, memory).</summary>
    static HashSet<string> Sc(Case c)
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
                var line = c.Threads[t][pcs[t]];
                var p = (int[])pcs.Clone();
                var r = regs.Select(x => (long[])x.Clone()).ToArray();
                var m = (long[])mem.Clone();
                line.Effect(r[t], m);
                p[t] = line.Taken?.Invoke(r[t]) == true ? c.Threads[t].FindIndex(l => l.Text == line.Target + ":") : p[t] + 1;
                stack.Push((p, r, m));
            }
            if (ended) finals.Add(Show(c, t => regs[t], l => mem[l]));
        }
        return finals;
    }

    static Case Generate(Random random)
    {
        int locations = random.Next(2, 4);
        var initial = Enumerable.Range(0, locations).Select(_ => (long)random.Next(2)).ToArray();
        var threads = new List<List<Line>>();
        var written = new List<List<int>>();
        int count = random.Next(2, 4);
        for (int t = 0; t < count; t++)
        {
            var w = new List<int>();
            threads.Add(Thread(random, count == 2 ? 4 : 3, locations, w));
            written.Add(w);
        }
        return new Case(threads, written, initial);
    }

    /// <summary>
    /// Two to <paramref name="maxSteps"/> steps (three in a three-thread test, whose search grows fastest): loads and stores plain, acquire or release, a store of a constant or of a loaded value (data), an
    /// access at an address built from a loaded value (addr), a branch on one (ctrl: to the next step or over it), barriers,
    /// and the atomics. Each step writes fresh registers, so the final registers show what each read.
    /// </summary>
    static List<Line> Thread(Random random, int maxSteps, int locations, List<int> written)
    {
        var lines = new List<Line>();
        var loaded = new List<int>();
        string? pendingLabel = null;
        int labels = 0;
        int Fresh() { int r = written.Count; written.Add(r); return r; }
        long Constant() => random.Next(1, 3);
        int steps = random.Next(2, maxSteps + 1);
        for (int s = 0; s < steps; s++)
        {
            int loc = random.Next(locations);
            string at = $"[X{AddressRegister + loc}]";
            // A value to store: a constant, or (data dependency) a register a read wrote.
            int Value()
            {
                if (loaded.Count > 0 && random.Next(2) == 0) return loaded[random.Next(loaded.Count)];
                int v = Fresh();
                long k = Constant();
                lines.Add(new($"MOV W{v},#{k}", (r, _) => r[v] = k));
                return v;
            }
            void Load(string op)
            {
                int d = Fresh();
                lines.Add(new($"{op} W{d},{at}", (r, m) => r[d] = m[loc]));
                loaded.Add(d);
            }
            string Suffix() => new[] { "", "A", "L", "AL" }[random.Next(4)];
            string? label = pendingLabel;
            pendingLabel = null;
            switch (random.Next(13))
            {
                case 0: case 1: Load("LDR"); break;
                case 2: Load("LDAR"); break;
                case 3: Load("LDAPR"); break;
                case 4: case 5:
                {
                    int v = Value();
                    lines.Add(new($"STR W{v},{at}", (r, m) => m[loc] = r[v]));
                    break;
                }
                case 6:
                {
                    int v = Value();
                    lines.Add(new($"STLR W{v},{at}", (r, m) => m[loc] = r[v]));
                    break;
                }
                case 7:
                    lines.Add(new(new[] { "DMB SY", "DMB LD", "DMB ST", "ISB" }[random.Next(4)], (_, _) => { }));
                    break;
                case 8 when loaded.Count > 0:
                {
                    // Address dependency: an offset of 0 that depends on a read.
                    int from = loaded[random.Next(loaded.Count)], k = Fresh();
                    lines.Add(new($"EOR W{k},W{from},W{from}", (r, _) => r[k] = r[from] ^ r[from]));
                    string indexed = $"[X{AddressRegister + loc},W{k},SXTW]";
                    if (random.Next(2) == 0)
                    {
                        int d = Fresh();
                        lines.Add(new($"LDR W{d},{indexed}", (r, m) => r[d] = m[loc + (int)r[k]]));
                        loaded.Add(d);
                    }
                    else
                    {
                        int v = Value();
                        lines.Add(new($"STR W{v},{indexed}", (r, m) => m[loc + (int)r[k]] = r[v]));
                    }
                    break;
                }
                case 9 when loaded.Count > 0:
                {
                    int on = loaded[random.Next(loaded.Count)];
                    string target = $"L{labels++}";
                    bool zero = random.Next(2) == 0;
                    lines.Add(new($"{(zero ? "CBZ" : "CBNZ")} W{on},{target}", (_, _) => { }, r => (r[on] == 0) == zero, target));
                    // To the next step (only a control dependency) or over it.
                    if (random.Next(2) == 0) lines.Add(new($"{target}:", (_, _) => { }));
                    else pendingLabel = target;
                    break;
                }
                case 10:
                {
                    int v = Value(), d = Fresh();
                    lines.Add(new($"SWP{Suffix()} W{v},W{d},{at}", (r, m) => (r[d], m[loc]) = (m[loc], r[v])));
                    loaded.Add(d);
                    break;
                }
                case 11:
                {
                    int v = Value(), d = Fresh();
                    lines.Add(new($"LDADD{Suffix()} W{v},W{d},{at}", (r, m) => (r[d], m[loc]) = (m[loc], m[loc] + r[v])));
                    loaded.Add(d);
                    break;
                }
                default:
                {
                    // CAS W(expected, then old),W(new): expected 0, 1 or 2, so that it both succeeds and fails.
                    int e = Fresh(), v = Fresh();
                    long expected = random.Next(3), k = Constant();
                    lines.Add(new($"MOV W{e},#{expected}", (r, _) => r[e] = expected));
                    lines.Add(new($"MOV W{v},#{k}", (r, _) => r[v] = k));
                    lines.Add(new($"CAS{Suffix()} W{e},W{v},{at}", (r, m) =>
                    {
                        long old = m[loc];
                        if (old == r[e]) m[loc] = r[v];
                        r[e] = old;
                    }));
                    loaded.Add(e);
                    break;
                }
            }
            if (label is not null) lines.Add(new($"{label}:", (_, _) => { }));
        }
        if (pendingLabel is not null) lines.Add(new($"{pendingLabel}:", (_, _) => { }));
        return lines;
    }
}
