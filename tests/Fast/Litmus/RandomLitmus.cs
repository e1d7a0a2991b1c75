using System.Text;
using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>What one line of a random test does.</summary>
enum Step { Mov, Eor, Load, Store, Fence, Branch, Label, Swap, Add, Cas, Alu, Cmp, Select, LoadExclusive, StoreExclusive }

/// <summary>The operations of <see cref="Step.Alu"/> (named apart from the model's AluOp).</summary>
enum Arith { Add, Orr, And }

/// <summary>An access's ordering: LDAR and the A forms acquire, LDAPR acquires (RCpc), STLR and the L forms release.</summary>
[Flags]
enum Order { Plain = 0, Acquire = 1, AcquirePc = 2, Release = 4 }

enum Fence { None, Full, Load, Store, Isb }

/// <summary>
/// One line of a random test. <c>Dst</c> is the register written (a load's, an atomic's old value, -1 for STADD's, a CAS's
/// Rs, a store-exclusive's status), <c>Src</c> the one read (a store's or atomic's value, a CAS's Rt, EOR's, an ALU
/// operation's, CMP's first operand, a branch's condition, a select's register when its condition holds), <c>Src2</c> an ALU
/// operation's second register (-1: <c>Imm</c>) or a select's other one, <c>Offset</c> the register added to the location's
/// address (-1 for none), <c>Target</c> a branch's label or the label a <see cref="Step.Label"/> line is. A select's
/// condition is EQ, or NE when <c>OnZero</c> is false, after a CMP with <c>Imm</c>.
/// </summary>
sealed record Line(string Text, Step Step, int Dst = -1, int Src = -1, int Loc = -1, int Offset = -1, long Imm = 0,
    Order Order = Order.Plain, Fence Fence = Fence.None, bool OnZero = false, string? Target = null, int Src2 = -1,
    Arith Op = Arith.Add);

/// <summary>A test's threads, the registers each writes (what the final states are compared by), and its initial memory.</summary>
/// <remarks>
/// X<c>AddressRegister</c> and the two after it hold x's, y's and z's addresses in every thread; values go in the registers
/// below: W0 to W9 in the base language, W0 to W19 in the wider one, whose steps write more registers.
/// </remarks>
sealed record RandomCase(List<List<Line>> Threads, List<List<int>> Written, long[] Initial, int AddressRegister = 10)
{
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
    /// interpreter with one memory, for the interleavings of the base language (<see cref="Generate"/> without wide).
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

    /// <summary>
    /// A random test; <paramref name="wide"/> adds exclusive pairs, ADD/ORR/AND of read values, CMP and CSEL, STADD, CAS with Rs XZR and the
    /// DMB ISH spellings. Without it the random draws, and so the tests, are those from before the wider language.
    /// </summary>
    public static RandomCase Generate(Random random, bool wide = false)
    {
        int addresses = wide ? 20 : 10;
        int locations = random.Next(2, 4);
        var initial = Enumerable.Range(0, locations).Select(_ => (long)random.Next(2)).ToArray();
        var threads = new List<List<Line>>();
        var written = new List<List<int>>();
        int count = random.Next(2, 4);
        for (int t = 0; t < count; t++)
        {
            var w = new List<int>();
            threads.Add(Thread(random, count == 2 ? 4 : 3, locations, w, wide, addresses));
            written.Add(w);
        }
        return new RandomCase(threads, written, initial, addresses);
    }

    /// <summary>
    /// Two to <paramref name="maxSteps"/> steps (three in a three-thread test, whose search grows fastest): loads and stores plain, acquire or release, a store of a constant or of a loaded value (data), an
    /// access at an address built from a loaded value (addr), a branch on one (ctrl: to the next step or over it), barriers,
    /// and the atomics, with <paramref name="wide"/> the steps <see cref="Generate"/> names. Each step writes fresh registers,
    /// so the final registers show what each read.
    /// </summary>
    static List<Line> Thread(Random random, int maxSteps, int locations, List<int> written, bool wide, int addresses)
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
            string at = $"[X{addresses + loc}]";
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
            void Barrier()
            {
                var (text, fence) = new[]
                {
                    ("DMB SY", Fence.Full), ("DMB LD", Fence.Load), ("DMB ST", Fence.Store), ("ISB", Fence.Isb),
                    ("DMB ISH", Fence.Full), ("DMB ISHLD", Fence.Load), ("DMB ISHST", Fence.Store),
                }[random.Next(wide ? 7 : 4)];
                lines.Add(new(text, Step.Fence, Fence: fence));
            }
            string? label = pendingLabel;
            pendingLabel = null;
            switch (random.Next(wide ? 17 : 13))
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
                case 7: Barrier(); break;
                case 8 when loaded.Count > 0:
                {
                    // Address dependency: an offset of 0 that depends on a read.
                    int from = loaded[random.Next(loaded.Count)], k = Fresh();
                    lines.Add(new($"EOR W{k},W{from},W{from}", Step.Eor, Dst: k, Src: from));
                    string indexed = $"[X{addresses + loc},W{k},SXTW]";
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
                case 11 when wide && random.Next(3) == 0:
                {
                    // STADD: LDADD into WZR, whose read herd marks NoRet; no A forms.
                    int v = Value();
                    bool release = random.Next(2) == 0;
                    lines.Add(new($"STADD{(release ? "L" : "")} W{v},{at}", Step.Add, Src: v, Loc: loc, Order: release ? Order.Release : Order.Plain));
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
                case 13 when loaded.Count > 0:
                {
                    // A value computed from a read: its register and an immediate or another read value (AND's immediates
                    // 1 to 3 are bitmask immediates). Addresses stay EOR's zero, so values may grow.
                    var (name, op) = new[] { ("ADD", Arith.Add), ("ORR", Arith.Orr), ("AND", Arith.And) }[random.Next(3)];
                    int a = loaded[random.Next(loaded.Count)], d = Fresh();
                    if (random.Next(2) == 0)
                    {
                        long k = Constant();
                        lines.Add(new($"{name} W{d},W{a},#{k}", Step.Alu, Dst: d, Src: a, Imm: k, Op: op));
                    }
                    else
                    {
                        int b = loaded[random.Next(loaded.Count)];
                        lines.Add(new($"{name} W{d},W{a},W{b}", Step.Alu, Dst: d, Src: a, Src2: b, Op: op));
                    }
                    loaded.Add(d);
                    break;
                }
                case 14 when loaded.Count > 0:
                {
                    // CMP a read value with 0, 1 or 2, then CSEL between two values (constants or read values).
                    int a = loaded[random.Next(loaded.Count)];
                    long k = random.Next(3);
                    lines.Add(new($"CMP W{a},#{k}", Step.Cmp, Src: a, Imm: k));
                    int x = Value(), y = Value(), d = Fresh();
                    bool eq = random.Next(2) == 0;
                    lines.Add(new($"CSEL W{d},W{x},W{y},{(eq ? "EQ" : "NE")}", Step.Select, Dst: d, Src: x, Src2: y, OnZero: eq));
                    loaded.Add(d);
                    break;
                }
                case 15 or 16:
                {
                    // A load-exclusive, at most one instruction of another kind (a load, a barrier, a store elsewhere; no
                    // write to the reserved location, which the explorer refuses) and a store-exclusive to the same location.
                    bool acquire = random.Next(2) == 0;
                    int d = Fresh();
                    lines.Add(new($"LD{(acquire ? "A" : "")}XR W{d},{at}", Step.LoadExclusive, Dst: d, Loc: loc, Order: acquire ? Order.Acquire : Order.Plain));
                    loaded.Add(d);
                    switch (random.Next(4))
                    {
                        case 0:
                        {
                            int other = random.Next(locations), m = Fresh();
                            lines.Add(new($"LDR W{m},[X{addresses + other}]", Step.Load, Dst: m, Loc: other));
                            loaded.Add(m);
                            break;
                        }
                        case 1: Barrier(); break;
                        case 2:
                        {
                            int other = (loc + 1 + random.Next(locations - 1)) % locations, v = Value();
                            lines.Add(new($"STR W{v},[X{addresses + other}]", Step.Store, Src: v, Loc: other));
                            break;
                        }
                    }
                    int value = Value(), status = Fresh();
                    bool release = random.Next(2) == 0;
                    lines.Add(new($"ST{(release ? "L" : "")}XR W{status},W{value},{at}", Step.StoreExclusive, Dst: status, Src: value, Loc: loc,
                        Order: release ? Order.Release : Order.Plain));
                    loaded.Add(status);
                    break;
                }
                default:
                {
                    // CAS W(expected, then old),W(new): expected 0, 1 or 2, so that it both succeeds and fails. In the wider
                    // language Rs may be 0 taken from a read (EOR), or XZR (a CAS that returns nothing), and Rt a read value.
                    if (wide && random.Next(4) == 0)
                    {
                        var (zrSuffix, zrOrder) = Suffix();
                        int value = Value();
                        lines.Add(new($"CAS{zrSuffix} WZR,W{value},{at}", Step.Cas, Src: value, Loc: loc, Order: zrOrder));
                        break;
                    }
                    int e = Fresh(), v = wide ? -1 : Fresh();
                    long expected = random.Next(3), k = Constant();
                    var (suffix, order) = Suffix();
                    int from = wide && loaded.Count > 0 && random.Next(2) == 0 ? loaded[random.Next(loaded.Count)] : -1;
                    lines.Add(from >= 0 ? new($"EOR W{e},W{from},W{from}", Step.Eor, Dst: e, Src: from) : new($"MOV W{e},#{expected}", Step.Mov, Dst: e, Imm: expected));
                    if (wide) v = Value();
                    else lines.Add(new($"MOV W{v},#{k}", Step.Mov, Dst: v, Imm: k));
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
