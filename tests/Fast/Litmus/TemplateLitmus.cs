using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// Random tests of one template, for the shapes <see cref="RandomCase.Generate"/> seldom draws: P0 writes a location
/// (STR, STLR, CAS in its four forms, CAS into XZR, SWP, LDADD, STADD, or an exclusive pair), maybe after a load and
/// before a barrier, loads it back, then depends on what it read (a branch over a step or to the next, with or without
/// ISB; CMP and CSEL; an address; a barrier) before an access of another location, and maybe again; P1 accesses one of
/// the other locations, orders it (a barrier or a dependency) and accesses or atomically updates the first; P2, one
/// time in three, stores once or twice. Initial values are 0 to 2, so CASes both succeed and fail.
/// </summary>
static class TemplateLitmus
{
    /// <summary>The register holding the first location's address, as in the wider language.</summary>
    const int A = 20;

    sealed class Builder(Random random, List<int> written)
    {
        public readonly List<Line> Lines = [];
        public readonly List<int> Loaded = [];
        int labels;
        public int Fresh() { int r = written.Count; written.Add(r); return r; }
        public int Value(bool allowLoaded = true)
        {
            if (allowLoaded && Loaded.Count > 0 && random.Next(3) == 0) return Loaded[random.Next(Loaded.Count)];
            int v = Fresh();
            long k = random.Next(1, 3);
            Lines.Add(new($"MOV W{v},#{k}", Step.Mov, Dst: v, Imm: k));
            return v;
        }
        static string At(int loc, int off) => off >= 0 ? $"[X{A + loc},W{off},SXTW]" : $"[X{A + loc}]";
        public int Eor(int from)
        {
            int k = Fresh();
            Lines.Add(new($"EOR W{k},W{from},W{from}", Step.Eor, Dst: k, Src: from));
            return k;
        }
        public int Load(int loc, int kind, int off = -1)
        {
            var (op, order) = off >= 0 ? ("LDR", Order.Plain) : new[] { ("LDR", Order.Plain), ("LDAR", Order.Acquire), ("LDAPR", Order.AcquirePc) }[kind];
            int d = Fresh();
            Lines.Add(new($"{op} W{d},{At(loc, off)}", Step.Load, Dst: d, Loc: loc, Order: order, Offset: off));
            Loaded.Add(d);
            return d;
        }
        public void Store(int loc, bool rel, int v, int off = -1)
        {
            if (off >= 0) rel = false;
            Lines.Add(new($"{(rel ? "STLR" : "STR")} W{v},{At(loc, off)}", Step.Store, Src: v, Loc: loc, Offset: off, Order: rel ? Order.Release : Order.Plain));
        }
        (string, Order) Suffix() => new[] { ("", Order.Plain), ("A", Order.Acquire), ("L", Order.Release), ("AL", Order.Acquire | Order.Release) }[random.Next(4)];
        /// <summary>An own write of some kind to loc; true when an LDop (whose plain own-load the explorer refuses).</summary>
        public bool Write(int loc)
        {
            string at = At(loc, -1);
            switch (random.Next(9))
            {
                case 0: Store(loc, false, Value()); return false;
                case 1: Store(loc, true, Value()); return false;
                case 2: case 3:
                {
                    int e;
                    if (Loaded.Count > 0 && random.Next(3) == 0) e = Eor(Loaded[random.Next(Loaded.Count)]);
                    else { e = Fresh(); long k = random.Next(3); Lines.Add(new($"MOV W{e},#{k}", Step.Mov, Dst: e, Imm: k)); }
                    int v = Value();
                    var (s, o) = Suffix();
                    Lines.Add(new($"CAS{s} W{e},W{v},{at}", Step.Cas, Dst: e, Src: v, Loc: loc, Order: o));
                    Loaded.Add(e);
                    return false;
                }
                case 4:
                {
                    int v = Value();
                    var (s, o) = Suffix();
                    Lines.Add(new($"CAS{s} WZR,W{v},{at}", Step.Cas, Src: v, Loc: loc, Order: o));
                    return false;
                }
                case var swpOrAdd and (5 or 6):
                {
                    int v = Value(), d = Fresh();
                    var (s, o) = Suffix();
                    var (name, step) = swpOrAdd == 5 ? ("SWP", Step.Swap) : ("LDADD", Step.Add);
                    Lines.Add(new($"{name}{s} W{v},W{d},{at}", step, Dst: d, Src: v, Loc: loc, Order: o));
                    Loaded.Add(d);
                    return step == Step.Add;
                }
                case 7:
                {
                    int v = Value();
                    bool rel = random.Next(2) == 0;
                    Lines.Add(new($"STADD{(rel ? "L" : "")} W{v},{at}", Step.Add, Src: v, Loc: loc, Order: rel ? Order.Release : Order.Plain));
                    return true;
                }
                default:
                {
                    bool acq = random.Next(2) == 0;
                    int d = Fresh();
                    Lines.Add(new($"LD{(acq ? "A" : "")}XR W{d},{at}", Step.LoadExclusive, Dst: d, Loc: loc, Order: acq ? Order.Acquire : Order.Plain));
                    Loaded.Add(d);
                    int v = Value(), st = Fresh();
                    bool rel = random.Next(2) == 0;
                    Lines.Add(new($"ST{(rel ? "L" : "")}XR W{st},W{v},{at}", Step.StoreExclusive, Dst: st, Src: v, Loc: loc, Order: rel ? Order.Release : Order.Plain));
                    Loaded.Add(st);
                    return false;
                }
            }
        }
        /// <summary>DMB SY, DMB LD, DMB ST or ISB (0 to 3).</summary>
        public void Barrier(int which)
        {
            var (t, f) = new[] { ("DMB SY", Fence.Full), ("DMB LD", Fence.Load), ("DMB ST", Fence.Store), ("ISB", Fence.Isb) }[which];
            Lines.Add(new(t, Step.Fence, Fence: f));
        }
        /// <summary>A dependency on r before the next access: returns the offset register for it (or -1) and a label to put after it.</summary>
        public (int Off, string? Label, int Data) Dep(int r)
        {
            switch (random.Next(9))
            {
                case 0: case 1: case 2:
                {
                    string target = $"L{labels++}";
                    bool zero = random.Next(2) == 0;
                    Lines.Add(new($"{(zero ? "CBZ" : "CBNZ")} W{r},{target}", Step.Branch, Src: r, OnZero: zero, Target: target));
                    bool over = random.Next(2) == 0;
                    if (!over) Lines.Add(new($"{target}:", Step.Label, Target: target));
                    if (random.Next(3) != 0) Barrier(3);
                    return (-1, over ? target : null, -1);
                }
                case 3: case 4:
                {
                    long k = random.Next(3);
                    Lines.Add(new($"CMP W{r},#{k}", Step.Cmp, Src: r, Imm: k));
                    int x = Value(false), y = random.Next(2) == 0 ? r : Value(false), d = Fresh();
                    bool eq = random.Next(2) == 0;
                    Lines.Add(new($"CSEL W{d},W{x},W{y},{(eq ? "EQ" : "NE")}", Step.Select, Dst: d, Src: x, Src2: y, OnZero: eq));
                    Loaded.Add(d);
                    if (random.Next(2) == 0) return (-1, null, d);
                    int off = Eor(d);
                    if (random.Next(2) == 0) Barrier(3);
                    return (off, null, -1);
                }
                case 5: { int off = Eor(r); if (random.Next(3) == 0) Barrier(3); return (off, null, -1); }
                case 6: Barrier(random.Next(3)); return (-1, null, -1);
                case 7: return (-1, null, r);
                default: return (-1, null, -1);
            }
        }
        public void Access(int loc, int off, int data)
        {
            if (random.Next(2) == 0) Load(loc, random.Next(3), off);
            else Store(loc, random.Next(3) == 0, data >= 0 ? data : Value(false), off);
        }
    }

    public static RandomCase Generate(Random random)
    {
        int locations = 3;
        var initial = Enumerable.Range(0, locations).Select(_ => (long)random.Next(3)).ToArray();
        var perm = Enumerable.Range(0, 3).OrderBy(_ => random.Next()).ToArray();
        int a = perm[0], b = perm[1], c = perm[2];
        var threads = new List<List<Line>>();
        var written = new List<List<int>>();

        // Thread 0: [load c]; own write a; load a; dep; access b; [dep; access c or a].
        var w0 = new List<int>();
        var t0 = new Builder(random, w0);
        if (random.Next(3) == 0) t0.Load(c, random.Next(3));
        bool ldop = t0.Write(a);
        if (random.Next(5) == 0) t0.Barrier(random.Next(4));
        int r = t0.Load(a, ldop && random.Next(4) != 0 ? 1 + random.Next(2) : random.Next(3));
        var (off, label, data) = t0.Dep(r);
        t0.Access(random.Next(5) == 0 ? a : b, off, data);
        if (label is not null) t0.Lines.Add(new($"{label}:", Step.Label, Target: label));
        if (random.Next(2) == 0)
        {
            int r2 = t0.Loaded.Count > 0 ? t0.Loaded[^1] : r;
            var (off2, label2, data2) = t0.Dep(r2);
            t0.Access(random.Next(2) == 0 ? c : a, off2, data2);
            if (label2 is not null) t0.Lines.Add(new($"{label2}:", Step.Label, Target: label2));
        }
        threads.Add(t0.Lines); written.Add(w0);

        // Thread 1: access of b or c; ordering; access of a.
        var w1 = new List<int>();
        var t1 = new Builder(random, w1);
        int first = random.Next(2) == 0 ? b : c;
        int r1 = -1;
        if (random.Next(4) == 0) t1.Write(first);
        else if (random.Next(2) == 0) r1 = t1.Load(first, random.Next(3));
        else t1.Store(first, random.Next(4) == 0, t1.Value());
        int off1 = -1, data1 = -1;
        string? label1 = null;
        if (r1 >= 0 && random.Next(2) == 0) (off1, label1, data1) = t1.Dep(r1);
        else if (random.Next(4) != 0) t1.Barrier(random.Next(3));
        if (random.Next(4) == 0 && off1 < 0 && data1 < 0) t1.Write(a);
        else t1.Access(a, off1, data1);
        if (label1 is not null) t1.Lines.Add(new($"{label1}:", Step.Label, Target: label1));
        threads.Add(t1.Lines); written.Add(w1);

        // Thread 2, sometimes: one or two writes.
        if (random.Next(3) == 0)
        {
            var w2 = new List<int>();
            var t2 = new Builder(random, w2);
            t2.Store(random.Next(3), random.Next(3) == 0, t2.Value());
            if (random.Next(2) == 0) { t2.Barrier(random.Next(3)); t2.Store(random.Next(3), random.Next(3) == 0, t2.Value()); }
            threads.Add(t2.Lines); written.Add(w2);
        }
        return new RandomCase(threads, written, initial, A);
    }
}
