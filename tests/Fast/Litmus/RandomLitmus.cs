using System.Text;
using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>What one line of a random test does.</summary>
enum Step { Mov, Eor, Load, Store, Fence, Branch, Label, Swap, Add, Cas }

/// <summary>An access's ordering: LDAR and the A forms acquire, LDAPR acquires (RCpc), STLR and the L forms release.</summary>
[Flags]
enum Order { Plain = 0, Acquire = 1, AcquirePc = 2, Release = 4 }

enum Fence { None, Full, Load, Store, Isb }

/// <summary>
/// One line of a random test. <c>Dst</c> is the register written (a load's, an atomic's old value, a CAS's Rs), <c>Src</c> the
/// one read (a store's or atomic's value, a CAS's Rt, EOR's operand, a branch's condition), <c>Offset</c> the register added
/// to the location's address (-1 for none), <c>Target</c> a branch's label or the label a <see cref="Step.Label"/> line is.
/// </summary>
sealed record Line(string Text, Step Step, int Dst = -1, int Src = -1, int Loc = -1, int Offset = -1, long Imm = 0,
    Order Order = Order.Plain, Fence Fence = Fence.None, bool OnZero = false, string? Target = null)
{
    public bool IsAccess => Step is Step.Load or Step.Store or Step.Swap or Step.Add or Step.Cas;
}

/// <summary>A test's threads, the registers each writes (what the final states are compared by), and its initial memory.</summary>
sealed record RandomCase(List<List<Line>> Threads, List<List<int>> Written, long[] Initial)
{
    /// <summary>X10, X11, X12 hold x's, y's and z's addresses in every thread; values go in W0 to W9.</summary>
    public const int AddressRegister = 10;

    public static readonly string[] Names = ["x", "y", "z"];

    public string Text(string name)
    {
        var init = new StringBuilder();
        for (int l = 0; l < Initial.Length; l++) init.Append($"int {Names[l]}={Initial[l]}; ");
        for (int t = 0; t < Threads.Count; t++)
            for (int l = 0; l < Initial.Length; l++) init.Append($"{t}:X{AddressRegister + l}={Names[l]}; ");
        int rows = Threads.Max(c => c.Count);
        var program = Enumerable.Range(0, rows).Select(k => " " + string.Join(" | ", Threads.Select(c => k < c.Count ? c[k].Text : "")) + " ;");
        string header = string.Join(" | ", Threads.Select((_, t) => $"P{t}"));
        return $"AArch64 {name}\n{{ {init}}}\n {header} ;\n{string.Join("\n", program)}\nexists (0:X0=0)\n";
    }

    /// <summary>A final state as the written registers and memory show it: <c>0:X0=1 1:X2=0 x=1 y=2</c>.</summary>
    public string Show(Func<int, IReadOnlyList<long>> registers, Func<int, long> memory) =>
        string.Join(" ", Written.SelectMany((w, t) => w.Select(r => $"{t}:X{r}={registers(t)[r]}"))
            .Concat(Enumerable.Range(0, Initial.Length).Select(l => $"{Names[l]}={memory(l)}")));

    /// <summary>
    /// Runs the test through the explorer as <paramref name="name"/>: its text, its final states as <see cref="Show"/>
    /// writes them (null when the explorer refuses the test, <see cref="LitmusLimits"/>), and why the search stopped short.
    /// A malformed test is the generator's bug, so it throws.
    /// </summary>
    public (string Text, HashSet<string>? Finals, string? Incomplete) Explore(string name)
    {
        string text = Text(name);
        LitmusTest test;
        LitmusRun run;
        try
        {
            test = LitmusParser.Parse(text, $"{name}.litmus");
            run = LitmusExplorer.Run(test, CancellationToken.None);
        }
        catch (LitmusException e) when (!e.Malformed)
        {
            return (text, null, null);
        }
        int[] location = Enumerable.Range(0, Initial.Length).Select(l => test.Locations.ToList().IndexOf(Names[l])).ToArray();
        return (text, run.Finals.Select(f => Show(t => f.Registers[t], l => f.Memory[location[l]])).ToHashSet(), run.IncompleteReason);
    }

    /// <summary>The line a branch goes to when taken.</summary>
    public static int LabelAt(List<Line> thread, string label) => thread.FindIndex(l => l.Step == Step.Label && l.Target == label);

    /// <summary>
    /// Performs line <paramref name="pc"/> whole on registers and memory and returns the next line: a reference
    /// interpreter with one memory, for the interleavings and for the values of a candidate execution.
    /// </summary>
    public static int Perform(List<Line> thread, int pc, long[] r, long[] m)
    {
        var line = thread[pc];
        int at = line.Loc + (line.Offset >= 0 ? (int)r[line.Offset] : 0);
        switch (line.Step)
        {
            case Step.Mov: r[line.Dst] = line.Imm; break;
            case Step.Eor: r[line.Dst] = r[line.Src] ^ r[line.Src]; break;
            case Step.Load: r[line.Dst] = m[at]; break;
            case Step.Store: m[at] = r[line.Src]; break;
            case Step.Swap: (r[line.Dst], m[at]) = (m[at], r[line.Src]); break;
            case Step.Add: (r[line.Dst], m[at]) = (m[at], m[at] + r[line.Src]); break;
            case Step.Cas:
            {
                long old = m[at];
                if (old == r[line.Dst]) m[at] = r[line.Src];
                r[line.Dst] = old;
                break;
            }
            case Step.Branch when (r[line.Src] == 0) == line.OnZero: return LabelAt(thread, line.Target!);
        }
        return pc + 1;
    }

    public static RandomCase Generate(Random random)
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
        return new RandomCase(threads, written, initial);
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
                lines.Add(new($"MOV W{v},#{k}", Step.Mov, Dst: v, Imm: k));
                return v;
            }
            void Load(string op, Order order)
            {
                int d = Fresh();
                lines.Add(new($"{op} W{d},{at}", Step.Load, Dst: d, Loc: loc, Order: order));
                loaded.Add(d);
            }
            (string Suffix, Order Order) Suffix() => new[]
            {
                ("", Order.Plain), ("A", Order.Acquire), ("L", Order.Release), ("AL", Order.Acquire | Order.Release),
            }[random.Next(4)];
            string? label = pendingLabel;
            pendingLabel = null;
            switch (random.Next(13))
            {
                case 0: case 1: Load("LDR", Order.Plain); break;
                case 2: Load("LDAR", Order.Acquire); break;
                case 3: Load("LDAPR", Order.AcquirePc); break;
                case 4: case 5:
                {
                    int v = Value();
                    lines.Add(new($"STR W{v},{at}", Step.Store, Src: v, Loc: loc));
                    break;
                }
                case 6:
                {
                    int v = Value();
                    lines.Add(new($"STLR W{v},{at}", Step.Store, Src: v, Loc: loc, Order: Order.Release));
                    break;
                }
                case 7:
                {
                    var (text, fence) = new[] { ("DMB SY", Fence.Full), ("DMB LD", Fence.Load), ("DMB ST", Fence.Store), ("ISB", Fence.Isb) }[random.Next(4)];
                    lines.Add(new(text, Step.Fence, Fence: fence));
                    break;
                }
                case 8 when loaded.Count > 0:
                {
                    // Address dependency: an offset of 0 that depends on a read.
                    int from = loaded[random.Next(loaded.Count)], k = Fresh();
                    lines.Add(new($"EOR W{k},W{from},W{from}", Step.Eor, Dst: k, Src: from));
                    string indexed = $"[X{AddressRegister + loc},W{k},SXTW]";
                    if (random.Next(2) == 0)
                    {
                        int d = Fresh();
                        lines.Add(new($"LDR W{d},{indexed}", Step.Load, Dst: d, Loc: loc, Offset: k));
                        loaded.Add(d);
                    }
                    else
                    {
                        int v = Value();
                        lines.Add(new($"STR W{v},{indexed}", Step.Store, Src: v, Loc: loc, Offset: k));
                    }
                    break;
                }
                case 9 when loaded.Count > 0:
                {
                    int on = loaded[random.Next(loaded.Count)];
                    string target = $"L{labels++}";
                    bool zero = random.Next(2) == 0;
                    lines.Add(new($"{(zero ? "CBZ" : "CBNZ")} W{on},{target}", Step.Branch, Src: on, OnZero: zero, Target: target));
                    // To the next step (only a control dependency) or over it.
                    if (random.Next(2) == 0) lines.Add(new($"{target}:", Step.Label, Target: target));
                    else pendingLabel = target;
                    break;
                }
                case 10:
                {
                    int v = Value(), d = Fresh();
                    var (suffix, order) = Suffix();
                    lines.Add(new($"SWP{suffix} W{v},W{d},{at}", Step.Swap, Dst: d, Src: v, Loc: loc, Order: order));
                    loaded.Add(d);
                    break;
                }
                case 11:
                {
                    int v = Value(), d = Fresh();
                    var (suffix, order) = Suffix();
                    lines.Add(new($"LDADD{suffix} W{v},W{d},{at}", Step.Add, Dst: d, Src: v, Loc: loc, Order: order));
                    loaded.Add(d);
                    break;
                }
                default:
                {
                    // CAS W(expected, then old),W(new): expected 0, 1 or 2, so that it both succeeds and fails.
                    int e = Fresh(), v = Fresh();
                    long expected = random.Next(3), k = Constant();
                    var (suffix, order) = Suffix();
                    lines.Add(new($"MOV W{e},#{expected}", Step.Mov, Dst: e, Imm: expected));
                    lines.Add(new($"MOV W{v},#{k}", Step.Mov, Dst: v, Imm: k));
                    lines.Add(new($"CAS{suffix} W{e},W{v},{at}", Step.Cas, Dst: e, Src: v, Loc: loc, Order: order));
                    loaded.Add(e);
                    break;
                }
            }
            if (label is not null) lines.Add(new($"{label}:", Step.Label, Target: label));
        }
        if (pendingLabel is not null) lines.Add(new($"{pendingLabel}:", Step.Label, Target: pendingLabel));
        return lines;
    }
}
