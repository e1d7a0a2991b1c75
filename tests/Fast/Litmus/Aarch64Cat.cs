namespace SmmuActors.Tests.Litmus;

/// <summary>
/// An axiomatic reading of Arm's aarch64.cat (herdtools7's <c>herd/libdir/aarch64.cat</c> with
/// <c>aarch64hwreqs.cat</c> and <c>aarch64deps.cat</c>), written for <see cref="RandomCase"/>'s language alone and sharing no
/// code with the explorer, so that the two can be compared. It enumerates candidate executions as herd does (a path through
/// each thread, a write for every read to read from, a coherence order per location), works out their values, and keeps
/// those the model's axioms allow: <c>external</c> (ob acyclic), the internal visibility checks <c>coRW1-Exp</c>,
/// <c>coWW-Exp</c> and <c>coWR-Exp</c>, and <c>atomic</c>. Every relation below is named after the cat's. The wider language
/// adds herd's store-exclusive (failing or, paired, succeeding), CSEL's pick dependencies and STADD's NoRet read.
/// </summary>
static class Aarch64Cat
{
    enum Kind { Read, Write, Fence, Branch }

    /// <summary>
    /// An event of a candidate execution. <c>In</c> holds the reads that reach it by <c>dtrm</c> (through registers, and
    /// through memory by <c>lrs</c>), <c>PickIn</c> those that reach it by <c>pick-dtrm</c> (<c>dtrm</c> and a CAS's
    /// <c>iico_ctrl</c>); <c>Addr</c> and <c>Data</c> those its address and data registers carry, <c>PickAddr</c> and
    /// <c>PickData</c> the same by <c>pick-dtrm</c>.
    /// </summary>
    sealed class Event
    {
        public required int Id, Thread, Index, Line;
        public required Kind Kind;
        public int Loc = -1;
        public Order Order;
        public Fence Fence;
        /// <summary>For an atomic's or a load-exclusive's read its write, for its write its read (<c>rmw</c>), else -1.</summary>
        public int Pair = -1;
        /// <summary>A store-exclusive's write: in <c>rmw</c> through <c>lxsx</c>, not <c>amo</c>.</summary>
        public bool Exclusive;
        /// <summary>The read of STADD or of a CAS whose Rs is XZR, whose value goes to no register: herd's <c>NoRet</c>.</summary>
        public bool NoRet;
        public ulong In, Addr, Data, PickIn, PickAddr, PickData;
        public bool IsMemory => Kind is Kind.Read or Kind.Write;
    }

    /// <summary>
    /// A CAS's four event structures in herd's <c>AArch64Sem.ml</c> (<c>do_cas</c>): a failure that writes nothing, a failure
    /// that writes back the value read (an atomic pair, since herdtools7 PR 1095), and a success whose register takes its
    /// data from Rs with the comparison as control (<c>DataFromRRs</c>) or from the read (<c>DataFromRx</c>).
    /// </summary>
    enum CasForm { FailNoWrite, FailWriteBack, SuccessFromRs, SuccessFromRead }

    /// <summary>
    /// A path through one thread: the lines performed, with each branch's choice (1 taken), each CAS's form, each select's
    /// (0 its condition holding) and each store-exclusive's (1 success).
    /// </summary>
    sealed record Path(List<(int Line, int Choice)> Steps);

    const int Init = -1;

    /// <summary>NZCV, written by CMP and read by CSEL, kept where no value register goes: 1 for Z set.</summary>
    const int Flags = 31;

    /// <summary>The final states (<see cref="RandomCase.Show"/>) of every execution aarch64.cat allows.</summary>
    public static HashSet<string> Finals(RandomCase c)
    {
        var finals = new HashSet<string>();
        var paths = c.Threads.Select(t => Paths(t).ToList()).ToList();
        foreach (var choice in Product(paths.Select(p => p.Count).ToList()))
        {
            var chosen = choice.Select((k, t) => paths[t][k]).ToList();
            if (Events(c, chosen) is { } ev) Candidates(c, chosen, ev, finals);
        }
        return finals;
    }

    static IEnumerable<Path> Paths(List<Line> thread)
    {
        var steps = new List<(int, int)>();
        return Walk(0);

        IEnumerable<Path> Walk(int pc)
        {
            if (pc == thread.Count)
            {
                yield return new Path([.. steps]);
                yield break;
            }
            var line = thread[pc];
            if (line.Step is Step.Branch or Step.Cas or Step.Select or Step.StoreExclusive)
            {
                int choices = line.Step == Step.Cas ? Enum.GetValues<CasForm>().Length : 2;
                for (int choice = 0; choice < choices; choice++)
                {
                    steps.Add((pc, choice));
                    int next = line.Step == Step.Branch && choice == 1 ? RandomCase.LabelAt(thread, line.Target!) : pc + 1;
                    foreach (var p in Walk(next)) yield return p;
                    steps.RemoveAt(steps.Count - 1);
                }
                yield break;
            }
            steps.Add((pc, 0));
            foreach (var p in Walk(pc + 1)) yield return p;
            steps.RemoveAt(steps.Count - 1);
        }
    }

    static IEnumerable<int[]> Product(List<int> sizes)
    {
        var index = new int[sizes.Count];
        if (sizes.Any(s => s == 0)) yield break;
        while (true)
        {
            yield return (int[])index.Clone();
            int k = 0;
            while (k < sizes.Count && ++index[k] == sizes[k]) index[k++] = 0;
            if (k == sizes.Count) yield break;
        }
    }

    /// <summary>
    /// The events of the chosen paths, with the dependencies aarch64deps.cat derives from the registers; null when a path has
    /// a store-exclusive succeed that herd makes fail.
    /// </summary>
    static List<Event>? Events(RandomCase c, List<Path> paths)
    {
        var events = new List<Event>();
        for (int t = 0; t < paths.Count; t++)
        {
            var thread = c.Threads[t];
            // The reads that reach each register's value by dtrm and by pick-dtrm, as sets of event ids.
            var reg = new ulong[32];
            var pick = new ulong[32];
            // The thread's latest load-exclusive while its reservation (herd's ResAddr) stands.
            Event? reserved = null;
            int index = 0;
            Event Add(Kind kind, int line)
            {
                var e = new Event { Id = events.Count, Thread = t, Index = index++, Line = line, Kind = kind };
                events.Add(e);
                return e;
            }
            ulong Of(int r) => r >= 0 ? reg[r] : 0;
            ulong PickOf(int r) => r >= 0 ? pick[r] : 0;
            // lrs: a read's local read predecessor is the last write of its thread to its location before it in po.
            Event? Predecessor(int loc) => events.LastOrDefault(e => e.Thread == t && e.Kind == Kind.Write && e.Loc == loc);
            Event Read(Line line, int at, Order order)
            {
                var r = Add(Kind.Read, at);
                r.Loc = line.Loc;
                r.Order = order;
                r.Addr = Of(line.Offset);
                r.PickAddr = PickOf(line.Offset);
                var w = Predecessor(line.Loc);
                r.In = r.Addr | (w?.In ?? 0);
                r.PickIn = r.PickAddr | (w?.PickIn ?? 0);
                return r;
            }
            Event Write(Line line, int at, Order order, ulong data, ulong pickData)
            {
                var w = Add(Kind.Write, at);
                w.Loc = line.Loc;
                w.Order = order;
                w.Addr = Of(line.Offset);
                w.PickAddr = PickOf(line.Offset);
                w.Data = data;
                w.PickData = pickData;
                w.In = w.Addr | w.Data;
                w.PickIn = w.PickAddr | w.PickData;
                return w;
            }
            void Pair(Event r, Event w) => (r.Pair, w.Pair) = (w.Id, r.Id);
            Order acquire(Line line) => line.Order & Order.Acquire;
            Order release(Line line) => line.Order & Order.Release;
            foreach (var (at, choice) in paths[t].Steps)
            {
                var line = thread[at];
                switch (line.Step)
                {
                    case Step.Mov: reg[line.Dst] = pick[line.Dst] = 0; break;
                    case Step.Eor: (reg[line.Dst], pick[line.Dst]) = (Of(line.Src), PickOf(line.Src)); break;
                    case Step.Alu: (reg[line.Dst], pick[line.Dst]) = (Of(line.Src) | Of(line.Src2), PickOf(line.Src) | PickOf(line.Src2)); break;
                    case Step.Cmp: (reg[Flags], pick[Flags]) = (Of(line.Src), PickOf(line.Src)); break;
                    case Step.Select:
                    {
                        // AArch64Sem.ml I_CSEL: NZCV's read is iico_ctrl before the chosen register's read, which alone
                        // gives the data; the flags reach the result by pick-dtrm only.
                        int chosen = choice == 0 ? line.Src : line.Src2;
                        (reg[line.Dst], pick[line.Dst]) = (Of(chosen), PickOf(chosen) | pick[Flags]);
                        break;
                    }
                    case Step.LoadExclusive:
                    {
                        // AArch64Sem.ml read_mem_reserve: a read (X, XA for LDAXR) that sets ResAddr from the address.
                        reserved = Read(line, at, line.Order);
                        (reg[line.Dst], pick[line.Dst]) = ((1UL << reserved.Id) | reserved.In, (1UL << reserved.Id) | reserved.PickIn);
                        break;
                    }
                    case Step.StoreExclusive:
                    {
                        // do_stxr: every store-exclusive clears ResAddr; it may always fail (status 1, no write, no
                        // dependency), and succeeds only paired with the reservation of its location (must_fail otherwise).
                        var held = reserved;
                        reserved = null;
                        if (choice == 0)
                        {
                            reg[line.Dst] = pick[line.Dst] = 0;
                            break;
                        }
                        if (held is null || held.Loc != line.Loc) return null;
                        var w = Write(line, at, release(line), Of(line.Src), PickOf(line.Src));
                        w.Exclusive = true;
                        Pair(held, w);
                        // event.ml riscv_sc with success: the status takes data from the address and ResAddr (the
                        // load-exclusive's address), never from the stored data, the read or the write.
                        (reg[line.Dst], pick[line.Dst]) = (w.Addr | held.Addr, w.PickAddr | held.PickAddr);
                        break;
                    }
                    case Step.Load:
                    {
                        var r = Read(line, at, line.Order);
                        (reg[line.Dst], pick[line.Dst]) = ((1UL << r.Id) | r.In, (1UL << r.Id) | r.PickIn);
                        break;
                    }
                    case Step.Store: Write(line, at, line.Order, Of(line.Src), PickOf(line.Src)); break;
                    case Step.Fence: Add(Kind.Fence, at).Fence = line.Fence; break;
                    case Step.Branch:
                    {
                        var b = Add(Kind.Branch, at);
                        (b.In, b.PickIn) = (Of(line.Src), PickOf(line.Src));
                        break;
                    }
                    case Step.Swap or Step.Add:
                    {
                        // swp_or_amo: the read and the write an atomic pair (XA and XL in the A and L forms); LDADD's write
                        // takes its value from the read (iico_data), SWP's from Rs alone (its read is only iico_order before it).
                        var r = Read(line, at, acquire(line));
                        ulong old = (1UL << r.Id) | r.In, pickOld = (1UL << r.Id) | r.PickIn;
                        var w = Write(line, at, release(line), Of(line.Src), PickOf(line.Src));
                        if (line.Step == Step.Add) (w.In, w.PickIn) = (w.In | old, w.PickIn | pickOld);
                        Pair(r, w);
                        // STADD is LDADD into WZR: its read is NoRet.
                        if (line.Dst < 0) r.NoRet = true;
                        else (reg[line.Dst], pick[line.Dst]) = (old, pickOld);
                        break;
                    }
                    case Step.Cas:
                    {
                        var form = (CasForm)choice;
                        // The failure that writes nothing reads as a plain load would (rmw_to_read: A in the A forms). With
                        // Rs XZR, AArch64Sem.ml's cas reads NoRet in every form, and so no acquire.
                        bool noRet = line.Dst < 0;
                        var r = Read(line, at, noRet ? Order.Plain : acquire(line));
                        r.NoRet = noRet;
                        ulong old = (1UL << r.Id) | r.In, pickOld = (1UL << r.Id) | r.PickIn;
                        // The comparison (a Pred commit, not BCC) reads Rs and the read; it is iico_ctrl before the write. Rs is
                        // read on the data port, so what it carries reaches the write as pick-data-dep's
                        // [Rreg]; (iico_data; iico_ctrl?) & DATA.
                        ulong compared = pickOld | PickOf(line.Dst);
                        if (form == CasForm.FailWriteBack)
                        {
                            var w = Write(line, at, release(line), 0, PickOf(line.Dst));
                            (w.In, w.PickIn) = (w.In | old, w.PickIn | pickOld | compared);
                            Pair(r, w);
                        }
                        else if (form is CasForm.SuccessFromRs or CasForm.SuccessFromRead)
                        {
                            var w = Write(line, at, release(line), Of(line.Src), PickOf(line.Src) | PickOf(line.Dst));
                            w.PickIn |= compared;
                            Pair(r, w);
                        }
                        if (noRet) break;
                        if (form == CasForm.SuccessFromRs) pick[line.Dst] = compared; // Rs's own dtrm set stays
                        else (reg[line.Dst], pick[line.Dst]) = (old, pickOld);
                        break;
                    }
                }
            }
        }
        return events;
    }

    /// <summary>
    /// local-hw-reqs for the language: lob (dob, pob, aob, bob, lws in lwfs, IFB-ob; DSB-ob has no DSB to act on) and
    /// pick-lob. Only a CAS's comparison and a select's flags give pick-dtrm more than dtrm here.
    /// </summary>
    static ulong[] LocallyOrdered(List<Event> ev)
    {
        int n = ev.Count;
        var lob = new ulong[n];
        bool Po(int a, int b) => Aarch64Cat.Po(ev, a, b);
        bool PoLoc(int a, int b) => Po(a, b) && ev[a].IsMemory && ev[b].IsMemory && ev[a].Loc == ev[b].Loc;
        void Edge(int a, int b) { if (ev[a].IsMemory && ev[b].IsMemory) lob[a] |= 1UL << b; }
        void From(ulong reads, int b) { for (int a = 0; a < n; a++) if ((reads >> a & 1) != 0) Edge(a, b); }
        IEnumerable<int> After(int a) => Enumerable.Range(0, n).Where(b => Po(a, b));
        IEnumerable<int> Before(int b) => Enumerable.Range(0, n).Where(a => Po(a, b));
        // lrs: the reads whose local read predecessor is the write w.
        IEnumerable<int> Lrs(int w) => After(w).Where(r => ev[r].Kind == Kind.Read && ev[r].Loc == ev[w].Loc
            && !After(w).Any(x => ev[x].Kind == Kind.Write && ev[x].Loc == ev[w].Loc && Po(x, r)));

        for (int b = 0; b < n; b++)
        {
            var e = ev[b];
            if (e.IsMemory)
            {
                // dob: addr, data; addr; [M]; po; [W]; (addr | data); [M]; lrs; [R].
                From(e.Addr, b);
                From(e.Data, b);
                foreach (int w in After(b).Where(x => ev[x].Kind == Kind.Write)) From(e.Addr, w);
                if (e.Kind == Kind.Write) foreach (int r in Lrs(b)) From(e.Addr | e.Data, r);
                // pob: pick-addr-dep; [W], pick-data-dep, pick-addr-dep; [M]; po; [W].
                if (e.Kind == Kind.Write) From(e.PickAddr | e.PickData, b);
                foreach (int w in After(b).Where(x => ev[x].Kind == Kind.Write)) From(e.PickAddr, w);
                // lws: [M]; po-loc; [W].
                if (e.Kind == Kind.Write) foreach (int a in Before(b).Where(a => PoLoc(a, b))) Edge(a, b);
            }
            if (e.Kind == Kind.Branch)
            {
                // dob: ctrl; [W]; pob: pick-ctrl-dep; [W]. IFB-ob: (ctrl | pick-ctrl-dep); [ISB]; po.
                foreach (int x in After(b))
                {
                    if (ev[x].Kind == Kind.Write) From(e.PickIn, x);
                    if (ev[x].Fence == Fence.Isb) foreach (int y in After(x)) From(e.PickIn, y);
                }
            }
            if (e.Kind == Kind.Fence)
            {
                foreach (int a in Before(b))
                    foreach (int x in After(b))
                    {
                        bool ordered = e.Fence switch
                        {
                            Fence.Full => true,
                            Fence.Load => ev[a].Kind == Kind.Read && !ev[a].NoRet, // [Exp & (R \ NoRet)]; po; [dmb.ld]
                            Fence.Store => ev[a].Kind == Kind.Write && ev[x].Kind == Kind.Write,
                            _ => false,
                        };
                        if (ordered) Edge(a, x);
                    }
                // IFB-ob: [R]; (addr | pick-addr-dep); [M]; po; [ISB]; po.
                if (e.Fence == Fence.Isb)
                    foreach (int m in Before(b).Where(m => ev[m].IsMemory))
                        foreach (int y in After(b)) From(ev[m].PickAddr, y);
            }
            if (e.Kind == Kind.Read && e.Order != Order.Plain)
                foreach (int x in After(b)) Edge(b, x); // [A | Q]; po
            if (e.Kind == Kind.Write && e.Order == Order.Release)
            {
                foreach (int a in Before(b)) Edge(a, b); // po; [L]
                foreach (int x in After(b).Where(x => ev[x].Kind == Kind.Read && ev[x].Order == Order.Acquire)) Edge(b, x); // [L]; po; [A]
                if (e.Pair >= 0 && !e.Exclusive && ev[e.Pair].Order == Order.Acquire)
                    foreach (int x in After(b)) Edge(b, x); // [range([A]; amo; [L])]; po: amo, not lxsx
            }
            if (e.Kind == Kind.Read && e.Pair >= 0)
            {
                // aob: rmw; rmw; lrs; [A | Q].
                Edge(b, e.Pair);
                foreach (int r in Lrs(e.Pair).Where(r => ev[r].Order != Order.Plain)) Edge(b, r);
            }
        }
        // pick-lob: pick-dep; lob; [W], lob being transitive; pick-dep leaves out pairs within one instruction.
        var closed = (ulong[])lob.Clone();
        for (int k = 0; k < n; k++)
            for (int a = 0; a < n; a++)
                if ((closed[a] >> k & 1) != 0) closed[a] |= closed[k];
        var reqs = (ulong[])lob.Clone();
        for (int m = 0; m < n; m++)
            for (int r = 0; r < n; r++)
                if ((ev[m].PickIn >> r & 1) != 0 && !(ev[r].Thread == ev[m].Thread && ev[r].Line == ev[m].Line))
                    for (int w = 0; w < n; w++)
                        if ((closed[m] >> w & 1) != 0 && ev[w].Kind == Kind.Write) reqs[r] |= 1UL << w;
        return reqs;
    }

    static void Candidates(RandomCase c, List<Path> paths, List<Event> ev, HashSet<string> finals)
    {
        if (ev.Count > 64) throw new InvalidOperationException("more than 64 events");
        var lob = LocallyOrdered(ev);
        var reads = Enumerable.Range(0, ev.Count).Where(i => ev[i].Kind == Kind.Read).ToList();
        var writesAt = Enumerable.Range(0, c.Initial.Length)
            .Select(l => Enumerable.Range(0, ev.Count).Where(i => ev[i].Kind == Kind.Write && ev[i].Loc == l).ToList()).ToList();
        // What each read may read of its own thread's: by coRW1-Exp not a write after it in po (its atomic's write included),
        // by coWR-Exp and coWW-Exp only the last before it, the initial write when there is none.
        var sources = reads.Select(r =>
        {
            var last = writesAt[ev[r].Loc].LastOrDefault(w => Po(ev, w, r), Init);
            return new[] { Init }.Concat(writesAt[ev[r].Loc]).Where(w => w == last || w != Init && ev[w].Thread != ev[r].Thread).ToList();
        }).ToList();
        // Each location's coherence orders, a permutation of its writes after the initial one, that keep coWW-Exp.
        var orders = writesAt.Select(w => Permutations(w).Where(o => KeepsPo(ev, o)).ToList()).ToList();
        var rf = new int[ev.Count];
        foreach (var pick in Product(sources.Select(s => s.Count).ToList()))
        {
            for (int k = 0; k < reads.Count; k++) rf[reads[k]] = sources[k][pick[k]];
            // ob holds lob and rfe whatever co is: a cycle there rules the rf choice out before its values are worked out.
            var lobRfe = (ulong[])lob.Clone();
            foreach (int r in reads)
                if (rf[r] != Init && ev[rf[r]].Thread != ev[r].Thread) lobRfe[rf[r]] |= 1UL << r;
            if (!Acyclic(lobRfe) || Values(c, paths, ev, rf) is not { } run) continue;
            // The checks of one location are made on its orders alone, before the orders of all are combined.
            var coherent = orders.Select((o, l) => o.Where(order => Coherent(ev, rf, order, reads.Where(r => ev[r].Loc == l))).ToList()).ToList();
            foreach (var choice in Product(coherent.Select(o => o.Count).ToList()))
            {
                var co = choice.Select((k, l) => coherent[l][k]).ToArray();
                if (Ordered(ev, lob, rf, co, reads))
                    finals.Add(c.Show(t => run.Registers[t], l => writesAt[l].Count == 0 ? c.Initial[l] : run.Written[co[l][^1]]));
            }
        }
    }

    sealed record Run(long[][] Registers, long[] Written);

    /// <summary>
    /// The values of an rf choice: each thread performed along its path, each read taking its write's value, a value not
    /// yet known left unknown until a later pass learns it. Null when a branch's, a CAS's or a select's guessed outcome is wrong, or
    /// when values depend on themselves (a cycle through rf, which the internal checks or ob forbid anyway).
    /// </summary>
    static Run? Values(RandomCase c, List<Path> paths, List<Event> ev, int[] rf)
    {
        var value = new long?[ev.Count];
        var registers = new long[c.Threads.Count][];
        int known = -1;
        // Each pass performs every unfinished thread with the values known so far, until a pass learns none.
        while (value.Count(v => v is not null) is var now && now > known)
        {
            known = now;
            for (int t = 0; t < c.Threads.Count; t++)
            {
                if (registers[t] is not null) continue;
                var r = new long?[32];
                for (int k = 0; k < r.Length; k++) r[k] = 0;
                int e = ev.FindIndex(x => x.Thread == t);
                foreach (var (at, choice) in paths[t].Steps)
                {
                    var line = c.Threads[t][at];
                    switch (line.Step)
                    {
                        case Step.Mov: r[line.Dst] = line.Imm; break;
                        case Step.Eor: r[line.Dst] = r[line.Src] ^ r[line.Src]; break;
                        case Step.Alu:
                        {
                            long? b = line.Src2 >= 0 ? r[line.Src2] : line.Imm;
                            r[line.Dst] = line.Op switch
                            {
                                Arith.Add => r[line.Src] + b,
                                Arith.Orr => r[line.Src] | b,
                                _ => r[line.Src] & b,
                            };
                            break;
                        }
                        case Step.Cmp: r[Flags] = r[line.Src] is { } v ? (v == line.Imm ? 1 : 0) : null; break;
                        case Step.Select:
                            if (r[Flags] is { } z && ((z == 1) == line.OnZero) != (choice == 0)) return null;
                            r[line.Dst] = r[choice == 0 ? line.Src : line.Src2];
                            break;
                        case Step.StoreExclusive:
                            if (choice == 1) value[e++] = r[line.Src];
                            r[line.Dst] = choice == 1 ? 0 : 1;
                            break;
                        case Step.Store: value[e++] = r[line.Src]; break;
                        case Step.Fence: e++; break;
                        case Step.Branch:
                            if (r[line.Src] is { } on && ((on == 0) == line.OnZero) != (choice == 1)) return null;
                            e++;
                            break;
                        case Step.Load or Step.LoadExclusive or Step.Swap or Step.Add or Step.Cas:
                        {
                            long? old = value[e] = rf[e] == Init ? c.Initial[line.Loc] : value[rf[e]];
                            e++;
                            var form = (CasForm)choice;
                            if (line.Step == Step.Cas && old is { } o && (line.Dst < 0 ? 0 : r[line.Dst]) is { } expected
                                && (o == expected) != (form is CasForm.SuccessFromRs or CasForm.SuccessFromRead))
                                return null;
                            if (line.Step is Step.Swap or Step.Add || line.Step == Step.Cas && form != CasForm.FailNoWrite)
                                value[e++] = line.Step switch
                                {
                                    Step.Add => old + r[line.Src],
                                    Step.Cas when form == CasForm.FailWriteBack => old,
                                    _ => r[line.Src],
                                };
                            if (line.Dst >= 0) r[line.Dst] = old;
                            break;
                        }
                    }
                }
                // A thread is done when its registers and its accesses' values are known: STADD's write is in no register.
                if (r.All(v => v is not null) && ev.All(x => x.Thread != t || !x.IsMemory || value[x.Id] is not null))
                    registers[t] = r.Select(v => v!.Value).ToArray();
            }
        }
        // A value or an outcome left unknown leaves its thread unfinished: no register is written twice.
        if (registers.Any(x => x is null)) return null;
        return new Run(registers, value.Select(v => v ?? 0).ToArray());
    }

    static IEnumerable<List<int>> Permutations(List<int> items)
    {
        if (items.Count == 0) { yield return []; yield break; }
        for (int i = 0; i < items.Count; i++)
            foreach (var rest in Permutations(items.Where((_, j) => j != i).ToList()))
                yield return [items[i], .. rest];
    }

    static bool Po(List<Event> ev, int a, int b) => ev[a].Thread == ev[b].Thread && ev[a].Index < ev[b].Index;

    /// <summary>coWW-Exp: writes of one thread to one location are coherence-ordered as in po.</summary>
    static bool KeepsPo(List<Event> ev, List<int> order)
    {
        for (int a = 0; a < order.Count; a++)
            for (int b = a + 1; b < order.Count; b++)
                if (Po(ev, order[b], order[a])) return false;
        return true;
    }

    /// <summary>coWR-Exp and atomic for one location's coherence order and its reads.</summary>
    static bool Coherent(List<Event> ev, int[] rf, List<int> order, IEnumerable<int> reads)
    {
        int Rank(int w) => w == Init ? -1 : order.IndexOf(w);
        foreach (int r in reads)
        {
            int src = rf[r];
            // coWR-Exp: after a write of its thread to its location, a read reads that write or one coherence-after it.
            foreach (var w in order)
                if (Po(ev, w, r) && Rank(src) < Rank(w)) return false;
            // atomic: no write between an atomic's read and write in coherence, unless one between is the thread's own
            // (rmw & (fr; co) \ (rmw & (fri; [W]; coi))).
            if (ev[r].Pair >= 0 && Rank(src) != Rank(ev[r].Pair) - 1
                && !order.Any(w => ev[w].Thread == ev[r].Thread && Rank(w) > Rank(src) && Rank(w) < Rank(ev[r].Pair)))
                return false;
        }
        return true;
    }

    /// <summary>external: ob, from lob and the coherence and rf edges between threads, acyclic.</summary>
    static bool Ordered(List<Event> ev, ulong[] lob, int[] rf, List<int>[] co, List<int> reads)
    {
        int n = ev.Count;
        // A write's place in its location's coherence order; the initial write is before all.
        var rank = new int[n];
        foreach (var order in co) for (int k = 0; k < order.Count; k++) rank[order[k]] = k;
        int Rank(int w) => w == Init ? -1 : rank[w];
        bool Po(int a, int b) => Aarch64Cat.Po(ev, a, b);
        bool Ext(int a, int b) => ev[a].Thread != ev[b].Thread;

        var ob = (ulong[])lob.Clone();
        foreach (var order in co)
            for (int a = 0; a < order.Count; a++)
                for (int b = a + 1; b < order.Count; b++)
                    if (Ext(order[a], order[b])) ob[order[a]] |= 1UL << order[b]; // coe
        foreach (int r in reads)
        {
            int src = rf[r];
            if (src != Init && Ext(src, r)) ob[src] |= 1UL << r; // rfe
            foreach (int w in co[ev[r].Loc])
                if (rank[w] > Rank(src) && Ext(r, w))
                {
                    ob[r] |= 1UL << w; // fre
                    // Exp-haz-ob: [R]; po-loc; [R]; (ca & ext); [W].
                    foreach (int r0 in reads)
                        if (ev[r0].Loc == ev[r].Loc && Po(r0, r)) ob[r0] |= 1UL << w;
                }
        }
        return Acyclic(ob);
    }

    /// <summary>irreflexive ob, ob being the transitive closure of these edges: no cycle (Kahn's algorithm).</summary>
    static bool Acyclic(ulong[] edges)
    {
        int n = edges.Length;
        var indegree = new int[n];
        for (int a = 0; a < n; a++)
            for (ulong s = edges[a]; s != 0; s &= s - 1) indegree[System.Numerics.BitOperations.TrailingZeroCount(s)]++;
        var ready = new Stack<int>(Enumerable.Range(0, n).Where(v => indegree[v] == 0));
        int seen = 0;
        while (ready.Count > 0)
        {
            int a = ready.Pop();
            seen++;
            for (ulong s = edges[a]; s != 0; s &= s - 1)
                if (--indegree[System.Numerics.BitOperations.TrailingZeroCount(s)] == 0) ready.Push(System.Numerics.BitOperations.TrailingZeroCount(s));
        }
        return seen == n;
    }
}
