namespace SmmuActors.Tests.Litmus;

/// <summary>
/// <see cref="Aarch64Cat"/> on published shapes of the wider random language (exclusives, CSEL, STADD), each to its
/// verdict, so that the reading the explorer is checked against is itself checked: herdtools7's
/// <c>catalogue/aarch64-pick/tests/kinds.txt</c> and the verdicts <c>tests/litmus/expected.txt</c> cites for the exclusives.
/// </summary>
[Trait("Suite", "Fast")]
public class Aarch64CatVerdictTests
{
    const int X = 0, Y = 1, Z = 2;

    static Line Mov(int d, long k) => new("", Step.Mov, Dst: d, Imm: k);
    static Line Ldr(int d, int loc, Order order = Order.Plain) => new("", Step.Load, Dst: d, Loc: loc, Order: order);
    static Line Str(int v, int loc, Order order = Order.Plain) => new("", Step.Store, Src: v, Loc: loc, Order: order);
    static Line Ldxr(int d, int loc, Order order = Order.Plain) => new("", Step.LoadExclusive, Dst: d, Loc: loc, Order: order);
    static Line Stxr(int status, int v, int loc, Order order = Order.Plain) =>
        new("", Step.StoreExclusive, Dst: status, Src: v, Loc: loc, Order: order);
    static Line Dmb(Fence fence) => new("", Step.Fence, Fence: fence);
    static Line Cmp(int a, long k) => new("", Step.Cmp, Src: a, Imm: k);
    static Line CselEq(int d, int a, int b) => new("", Step.Select, Dst: d, Src: a, Src2: b, OnZero: true);

    /// <summary>Whether some final state the cat allows has every <c>t:Xr=v</c> and <c>loc=v</c> of <paramref name="exists"/>.</summary>
    static bool Reaches(string exists, params List<Line>[] threads) => ReachesFrom([0, 0, 0], exists, threads);

    /// <summary><see cref="Reaches"/> from x, y and z holding <paramref name="initial"/>.</summary>
    static bool ReachesFrom(long[] initial, string exists, params List<Line>[] threads)
    {
        var written = threads.Select(t => t.Where(l => l.Dst >= 0).Select(l => l.Dst).Distinct().ToList()).ToList();
        var finals = Aarch64Cat.Finals(new RandomCase([.. threads], written, initial));
        return finals.Any(f => exists.Split(' ').All(f.Split(' ').Contains));
    }

    public static TheoryData<string, bool> Exclusives => new()
    {
        { "MP+stlxr+ldaxr", false }, { "MP+stxr+ldxr", true }, { "LB+ldaxrs", false }, { "LB+ldxrs", true },
        { "LB+stlxrs", false }, { "LB+lxsx-ctrl+dmb.sy", true }, { "SB+lxsx-ldr-dmb.ld+dmb.sy", true },
        { "ATOM+LXSXs", false }, { "ATOM+LXSX+W", false },
    };

    [Theory]
    [MemberData(nameof(Exclusives))]
    public void Exclusive_shapes_get_their_published_verdicts(string name, bool allowed) => Assert.Equal(allowed, name switch
    {
        "MP+stlxr+ldaxr" => Reaches("1:X0=1 1:X2=0",
            [Mov(0, 1), Str(0, X), Ldxr(4, Y), Mov(2, 1), Stxr(5, 2, Y, Order.Release)], [Ldxr(0, Y, Order.Acquire), Ldr(2, X)]),
        "MP+stxr+ldxr" => Reaches("1:X0=1 1:X2=0", [Mov(0, 1), Str(0, X), Ldxr(4, Y), Mov(2, 1), Stxr(5, 2, Y)], [Ldxr(0, Y), Ldr(2, X)]),
        "LB+ldaxrs" => Reaches("0:X0=1 1:X0=1",
            [Ldxr(0, X, Order.Acquire), Mov(2, 1), Str(2, Y)], [Ldxr(0, Y, Order.Acquire), Mov(2, 1), Str(2, X)]),
        "LB+ldxrs" => Reaches("0:X0=1 1:X0=1", [Ldxr(0, X), Mov(2, 1), Str(2, Y)], [Ldxr(0, Y), Mov(2, 1), Str(2, X)]),
        "LB+stlxrs" => Reaches("0:X0=1 1:X0=1",
            [Ldr(0, X), Ldxr(4, Y), Mov(2, 1), Stxr(5, 2, Y, Order.Release)], [Ldr(0, Y), Ldxr(4, X), Mov(2, 1), Stxr(5, 2, X, Order.Release)]),
        // A CBNZ on the status over the store: the status depends on no read (herd/event.ml riscv_sc).
        "LB+lxsx-ctrl+dmb.sy" => Reaches("0:X0=1 0:X4=0 1:X0=1",
            [Ldxr(0, X), Mov(5, 2), Stxr(4, 5, X), new("", Step.Branch, Src: 4, Target: "L"), Mov(2, 1), Str(2, Y), new("", Step.Label, Target: "L")],
            [Ldr(0, Y), Dmb(Fence.Full), Mov(2, 1), Str(2, X)]),
        "SB+lxsx-ldr-dmb.ld+dmb.sy" => Reaches("0:X3=0 0:X4=1 0:X6=0 1:X2=0",
            [Ldxr(1, X), Mov(2, 1), Stxr(3, 2, X), Ldr(4, X), Dmb(Fence.Load), Ldr(6, Y)], [Mov(1, 1), Str(1, Y), Dmb(Fence.Full), Ldr(2, X)]),
        "ATOM+LXSXs" => Reaches("0:X3=0 1:X3=0 x=1",
            [Ldxr(1, X), new("", Step.Alu, Dst: 2, Src: 1, Imm: 1), Stxr(3, 2, X)], [Ldxr(1, X), new("", Step.Alu, Dst: 2, Src: 1, Imm: 1), Stxr(3, 2, X)]),
        "ATOM+LXSX+W" => Reaches("0:X1=0 0:X3=0 x=2", [Ldxr(1, X), Mov(2, 2), Stxr(3, 2, X)], [Mov(2, 1), Str(2, X)]),
        _ => throw new ArgumentException(name),
    });

    public static TheoryData<string, bool> Selects => new()
    {
        { "S+rel+CSEL-rf-reg", false }, { "LB+rel+pick-by-csel", false }, { "LB+CSEL-data-po+DMB", true }, { "T3", false },
        { "T9B", false }, { "T7", false }, { "TLDAR", true },
    };

    /// <summary>herdtools7's catalogue/aarch64-pick, x, y, z for its locations (T3's za and zb both z, T7's load of a left out).</summary>
    [Theory]
    [MemberData(nameof(Selects))]
    public void Select_shapes_get_their_published_verdicts(string name, bool allowed) => Assert.Equal(allowed, name switch
    {
        "S+rel+CSEL-rf-reg" => Reaches("1:X1=1 x=1", [Mov(9, 1), Str(9, X), Mov(11, 1), Str(11, Y, Order.Release)],
            [Ldr(1, Y), Cmp(1, 1), CselEq(3, 4, 5), Str(3, X)]),
        "LB+rel+pick-by-csel" => Reaches("1:X1=1 0:X9=1", [Ldr(9, X), Mov(11, 1), Str(11, Y, Order.Release)],
            [Mov(4, 1), Mov(5, 2), Ldr(1, Y), Cmp(1, 1), CselEq(3, 4, 5), Str(3, X)]),
        "LB+CSEL-data-po+DMB" => Reaches("0:X0=1 1:X0=1", [Mov(4, 4), Mov(5, 5), Ldr(0, X), Cmp(0, 1), CselEq(3, 4, 5), Str(3, Z), Mov(7, 1), Str(7, Y)],
            [Ldr(0, Y), Dmb(Fence.Full), Mov(2, 1), Str(2, X)]),
        // The select picks the store's and load's address: z either way (za and zb as one), by an offset of 0.
        "T3" => Reaches("0:X0=1 1:X0=1",
            [Mov(10, 0), Mov(11, 0), Ldr(0, X), Cmp(0, 0), CselEq(5, 10, 11), new("", Step.Store, Src: 4, Loc: Z, Offset: 5),
                new("", Step.Load, Dst: 4, Loc: Z, Offset: 5), Mov(2, 1), Str(2, Y)],
            [Ldr(0, Y, Order.Acquire), Mov(2, 1), Str(2, X)]),
        "T9B" => Reaches("1:X0=1 1:X6=0", [Mov(0, 1), Str(0, X), Str(0, Y, Order.Release)],
            [Ldr(0, Y), Cmp(0, 0), CselEq(2, 4, 5), new("", Step.Branch, Src: 2, Target: "L"), new("", Step.Label, Target: "L"), Dmb(Fence.Isb), Ldr(6, X)]),
        "T7" => Reaches("0:X0=1 1:X0=1",
            [Ldr(0, X), Cmp(0, 1), Mov(3, 0), Mov(4, 1), CselEq(2, 3, 4), Str(2, Z), Ldr(2, Z, Order.Acquire), Mov(2, 1), Str(2, Y)],
            [Ldr(0, Y, Order.Acquire), Mov(2, 1), Str(2, X)]),
        "TLDAR" => Reaches("1:X0=1 1:X10=0", [Mov(0, 1), Str(0, X), Mov(2, 1), Str(2, Y, Order.Release)],
            [Ldr(0, Y), Cmp(0, 1), CselEq(2, 3, 4), Str(2, Z), Ldr(9, Z, Order.Acquire), Ldr(10, X)]),
        _ => throw new ArgumentException(name),
    });

    static Line Cas(int rs, int rt, int loc, Order order = Order.Plain) => new("", Step.Cas, Dst: rs, Src: rt, Loc: loc, Order: order);

    /// <summary>
    /// A CAS whose write a later load of the thread reads: catalogue/aarch64-cas's LB+rel+CAS-ok-RsM-addr (Forbidden: Rs, from
    /// P1's read of y, reaches the write by pick, and the value read back carries it to the address) and -no-RsM-addr
    /// (Allowed: z=1, so the CAS fails and writes nothing); and, worked out from the cat, R+CAS-rfi-ctrl+DMBST Forbidden:
    /// the CAS's read reaches its write by pick-dtrm (iico_data to the comparison, iico_ctrl from it), the load by lrs and
    /// the branch through the register, so pob's <c>[Exp]; pick-dep; [W]</c> orders the store of y after that read. (herd's
    /// JSON cram fixture of this test, which says Allowed, runs a test-local libdir, <c>Generic(Unknown)</c>, not aarch64.cat.)
    /// </summary>
    [Fact]
    public void Reads_of_a_CAS_write_get_their_verdicts()
    {
        List<Line> writer = [Ldr(3, X), Mov(4, 1), Str(4, Y, Order.Release)];
        List<Line> rsm =
        [
            Ldr(3, Y), new("", Step.Eor, Dst: 4, Src: 3), Mov(5, 0), Cas(4, 5, Z), Ldr(5, Z), new("", Step.Eor, Dst: 5, Src: 5), Mov(6, 1),
            new("", Step.Store, Src: 6, Loc: X, Offset: 5),
        ];
        Assert.False(ReachesFrom([0, 0, 0], "0:X3=1 1:X3=1", writer, rsm));
        Assert.True(ReachesFrom([0, 0, 1], "0:X3=1 1:X3=1", writer, rsm));
        Assert.False(Reaches("x=2 y=2 0:X1=1 0:X3=2",
            [Mov(1, 1), Mov(2, 2), Cas(1, 2, X), Ldr(3, X), new("", Step.Branch, Src: 3, Target: "L"), new("", Step.Label, Target: "L"), Mov(4, 1), Str(4, Y)],
            [Mov(0, 2), Str(0, Y), Dmb(Fence.Store), Mov(2, 1), Str(2, X)]));
    }

    /// <summary>
    /// Worked out from the cat: a load of x after the thread's own successful CAS of x, a branch on the value it read, ISB, a
    /// load of y. The CAS's read reaches the branch by pick-dtrm (to its write by iico_data and iico_ctrl, to the load by
    /// lrs), so pob's <c>[Exp]; pick-ctrl-dep; [CSE]; po; [M]</c> orders the load of y after that read: with P1's y=1
    /// before its x=0, which the CAS (Rs 0, x=5 at first) must read to succeed, y=0 is Forbidden. Without the ISB nothing
    /// orders the load of y, and it is Allowed.
    /// </summary>
    [Fact]
    public void A_branch_on_a_read_of_the_thread_own_CAS_write_orders_after_the_CAS_read_through_ISB()
    {
        bool Reaches(Fence between) => ReachesFrom([5, 0, 0], "x=2 0:X3=2 0:X5=0",
            [Mov(1, 0), Mov(2, 2), Cas(1, 2, X), Ldr(3, X), new("", Step.Branch, Src: 3, Target: "L"), new("", Step.Label, Target: "L"), Dmb(between), Ldr(5, Y)],
            [Mov(2, 1), Str(2, Y), Dmb(Fence.Full), Mov(3, 0), Str(3, X)]);
        Assert.False(Reaches(Fence.Isb));
        Assert.True(Reaches(Fence.None));
    }

    /// <summary>
    /// Worked out from the cat (a helper's random tests found the explorer answering the first Never): P0 loads x, stores
    /// x=1, reads it back (rfi, in no ob) and stores that value to y; P1 reads y, DMB SY, stores x=2. The first load is
    /// before the store of x (lws), but nothing orders it before the read-back: dob's <c>(addr | data); rfi</c> needs a
    /// dependency into the store, whose data is a constant. So x=2 read first, then the read-back's 1 sent on to y and read
    /// by P1, is Allowed (tests/litmus LB+pos-rfi-data+dmb.sy). With the store's data taken from the first load (EOR, ADD),
    /// data; rfi orders the read-back after it, and the cycle through P1 is Forbidden (LB+data-rfi-data+dmb.sy).
    /// </summary>
    [Fact]
    public void A_read_back_of_the_thread_own_store_follows_an_earlier_load_only_through_the_store_data()
    {
        List<Line> writer = [Ldr(0, Y), Dmb(Fence.Full), Mov(1, 2), Str(1, X)];
        Assert.True(Reaches("0:X0=2 0:X2=1 1:X0=1", [Ldr(0, X), Mov(1, 1), Str(1, X), Ldr(2, X), Str(2, Y)], writer));
        Assert.False(Reaches("0:X0=2 0:X2=1 1:X0=1",
            [Ldr(0, X), new("", Step.Eor, Dst: 1, Src: 0), new("", Step.Alu, Dst: 1, Src: 1, Imm: 1, Op: Arith.Add), Str(1, X), Ldr(2, X), Str(2, Y)], writer));
    }

    /// <summary>
    /// Worked out from the cat: herd's failing CAS may write back the value it read (an atomic pair since herdtools7 PR
    /// 1095), and a later load of the location may read that write (rfi, in no ob): P0's CAS of y, Rs XZR, reads P1's
    /// release of y=1 and fails; its load of y reads the write-back, and after its DMB LD the load of x may still read the
    /// stale x=1, as nothing orders the NoRet read before it. With Rs a register the read is no NoRet, DMB LD orders it,
    /// and the outcome is Forbidden. The explorer has no write-back form and answers the first Never, too strong
    /// (docs/litmus.md, "Against an axiomatic reading of aarch64.cat").
    /// </summary>
    [Fact]
    public void A_load_may_read_a_failed_CASs_write_back()
    {
        bool Reaches(params List<Line> cas) => ReachesFrom([1, 0, 0], "0:X2=1 0:X4=1",
            [.. cas, Ldr(2, Y), Dmb(Fence.Load), Ldr(4, X)], [Mov(0, 0), Str(0, X), Mov(2, 1), Str(2, Y, Order.Release)]);
        Assert.True(Reaches(Mov(1, 0), Cas(-1, 1, Y)));
        Assert.False(Reaches(Mov(1, 0), Mov(5, 0), Cas(5, 1, Y)));
    }

    /// <summary>
    /// A CAS whose Rs is XZR returns nothing, and AArch64Sem.ml's cas makes its read NoRet in every form, so neither its A
    /// nor a DMB LD orders it: with y=1 at first, P1's CAS compares with 0, so
    /// writing y=2 means it read P0's y=0, written after x=1, yet its later load may still read x=0; with Rs a register
    /// holding 0, the DMB LD or the A orders the read, and the outcome is forbidden.
    /// </summary>
    [Fact]
    public void A_CAS_into_XZR_reads_as_NoRet()
    {
        List<Line> writer = [Mov(2, 1), Str(2, X), Dmb(Fence.Full), Mov(4, 0), Str(4, Y)];
        bool Reaches(params List<Line> reader) => ReachesFrom([0, 1, 0], "1:X4=0 y=2", writer, reader);
        Assert.True(Reaches(Mov(5, 2), Cas(-1, 5, Y), Dmb(Fence.Load), Ldr(4, X)));
        Assert.True(Reaches(Mov(5, 2), Cas(-1, 5, Y, Order.Acquire), Ldr(4, X)));
        Assert.False(Reaches(Mov(5, 2), Mov(6, 0), Cas(6, 5, Y), Dmb(Fence.Load), Ldr(4, X)));
        Assert.False(Reaches(Mov(5, 2), Mov(6, 0), Cas(6, 5, Y, Order.Acquire), Ldr(4, X)));
    }

    static Line Stadd(int v, int loc, Order order = Order.Plain) => new("", Step.Add, Src: v, Loc: loc, Order: order);

    /// <summary>
    /// catalogue/aarch64's LB+rel+STADD (kinds.txt) and ATOM+STADDs (expected.txt: atomic), and by hand the read an STADD
    /// does not return, which DMB LD does not order (<c>[Exp &amp; (R \ NoRet)]; po; [dmb.ld]; po</c> in bob) where LDADD's
    /// is ordered: P0's read of x=2 then its store of y, which P1 reads before its DMB SY and its store of x=2.
    /// </summary>
    [Fact]
    public void Store_atomics_get_their_verdicts()
    {
        Assert.False(Reaches("1:X5=1 0:X0=1", [Mov(9, 1), Ldr(0, Y), Str(9, X, Order.Release)],
            [Ldr(5, X), new("", Step.Alu, Dst: 10, Src: 5, Imm: 1, Op: Arith.Orr), Stadd(10, Y)]));
        List<Line>[] atom = [[Mov(1, 1), Stadd(1, X)], [Mov(1, 2), Stadd(1, X, Order.Release)]];
        Assert.False(Reaches("x=1", atom) || Reaches("x=2", atom));
        List<Line> Mp(Line atomic) => [Mov(0, 1), atomic, Dmb(Fence.Load), Mov(1, 1), Str(1, Y)];
        List<Line> observer = [Ldr(0, Y), Dmb(Fence.Full), Mov(1, 2), Str(1, X)];
        Assert.True(Reaches("1:X0=1 x=3", Mp(Stadd(0, X)), observer));
        Assert.False(Reaches("1:X0=1 x=3", Mp(new("", Step.Add, Dst: 2, Src: 0, Loc: X)), observer));
    }
}
