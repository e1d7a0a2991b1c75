using System.Reflection;
using SmmuActors.Model.Sim;
using Xunit;

namespace SmmuActors.Tests.Sim;

/// <summary>Which writes a load may read (docs/model.md, "Memory model"), and the rank hashing of the history.</summary>
[Trait("Suite", "Fast")]
public sealed class WriteHistoryTests
{
    const byte Writer = 1, Reader = 2;

    static Message Store(byte src, int loc, long value, int own = 0, Ordering extra = Ordering.None) =>
        new() { Src = src, Dst = 0, Kind = MessageKind.Store, Loc = loc, A = value, Own = own, Order = Ordering.IsStore | extra };

    static Message Load(byte src, int loc, long floor = 0, int own = 0, Ordering order = Ordering.None) =>
        new() { Src = src, Dst = 0, Kind = MessageKind.Load, Loc = loc, View = floor, Own = own, Order = order };

    /// <summary>x written 1 then 2 by the writer (stamps 1, 2), y written 1 (stamp 3).</summary>
    static WriteHistory Written()
    {
        var h = new WriteHistory([0, 0], 3);
        h.Append(Store(Writer, 0, 1), 1);
        h.Append(Store(Writer, 0, 2), 2);
        h.Append(Store(Writer, 1, 1), 1);
        return h;
    }

    static long[] Values(WriteHistory h, in Message load)
    {
        var r = new List<WriteHistory.Readable>();
        h.ReadableBy(load, r);
        return r.Select(x => x.Value).ToArray();
    }

    [Fact]
    public void A_load_with_no_floor_may_read_every_write_and_one_with_a_floor_only_those_newest_at_it_or_later()
    {
        var h = Written();
        Assert.Equal([0, 1, 2], Values(h, Load(Reader, 0)));
        Assert.Equal([1, 2], Values(h, Load(Reader, 0, floor: 1)));
        Assert.Equal([2], Values(h, Load(Reader, 0, floor: 3)));
    }

    static Message Cas(byte src, int loc, long expected, long floor = 0) =>
        new() { Src = src, Dst = 0, Kind = MessageKind.Cas, Loc = loc, A = expected, B = expected + 10, View = floor, Order = Ordering.IsStore };

    [Fact]
    public void A_compare_and_swap_may_fail_on_an_older_readable_write_but_never_on_the_newest_or_one_holding_its_expected_value()
    {
        var h = Written();
        var stale = new List<WriteHistory.Readable>();
        h.StaleCasReads(Cas(Reader, 0, expected: 1), stale);
        Assert.Equal([0], stale.Select(r => r.Value));
        h.StaleCasReads(Cas(Reader, 0, expected: 5), stale);
        Assert.Equal([0, 1], stale.Select(r => r.Value));
        h.StaleCasReads(Cas(Reader, 0, expected: 5, floor: 3), stale);
        Assert.Empty(stale);
    }

    [Fact]
    public void A_compare_and_swap_offers_its_older_reads_and_perform_now_and_is_found_again_by_its_choice()
    {
        var h = Written();
        var stale = new List<WriteHistory.Readable>();
        var cas = Cas(Reader, 0, expected: 5);
        h.StaleCasReads(cas, stale);
        var o = new Outbox();
        o.Begin(0);
        h.Offer(cas, stale, 0, o);
        Assert.Equal([0L, 1L, WriteHistory.PerformNow], o.Messages.Select(m => m.A is WriteHistory.PerformNow ? m.A : h.Chosen(Reader, 0, m.A).Value));
        Assert.True(h.TakePerforming(Reader, 0, out var taken));
        Assert.Equal(cas.A, taken.A);
        Assert.False(h.TakePerforming(Reader, 0, out _));
    }

    [Fact]
    public void Coherence_keeps_a_reader_at_or_after_what_it_read_and_a_barrier_raises_its_floor()
    {
        var h = Written();
        h.Read(Reader, 0, new WriteHistory.Readable(1, 1, 1));
        Assert.Equal([1, 2], Values(h, Load(Reader, 0)));
        Assert.Equal([0, 1], Values(h, Load(Reader, 1)));
        h.Fence(Reader);
        Assert.Equal([0, 1], Values(h, Load(Reader, 1)));
        h.DeviceAnswered(Reader);
        h.ReadFence(Reader);
        Assert.Equal([1], Values(h, Load(Reader, 1)));
    }

    /// <summary>
    /// readl's dma_rmb orders the reader's later loads after its device read, which the SMMU performed when it answered
    /// (Arm's <c>[R]; po; [dmb.ld]; po; [R]</c> in ob, the first read the device's): a write that became visible after the
    /// answer and before the fence reached memory may still be missed, one visible before the answer may not. Until
    /// 2026-12-07 the fence took the newest write when it reached memory, and missed neither: stronger than Arm.
    /// </summary>
    [Theory]
    [InlineData(true, new long[] { 1, 2 })]
    [InlineData(false, new long[] { 2 })]
    public void Readls_fence_orders_later_loads_after_the_smmus_answer_not_after_the_fence_arriving(bool answeredFirst, long[] readable)
    {
        var h = Written();
        if (answeredFirst) h.DeviceAnswered(Reader);
        h.Append(Store(Writer, 1, 2), 2);
        if (!answeredFirst) h.DeviceAnswered(Reader);
        h.ReadFence(Reader);
        Assert.Equal(readable, Values(h, Load(Reader, 1)));
        Assert.Equal([2], Values(h, Load(Reader, 0)));
    }

    /// <summary>The written history with the reader's load of location 0 offered its writes and not yet chosen (<paramref name="readable"/>).</summary>
    static WriteHistory ReaderChoosing(out List<WriteHistory.Readable> readable)
    {
        var h = Written();
        readable = [];
        var load = Load(Reader, 0);
        h.ReadableBy(load, readable);
        var o = new Outbox();
        o.Begin(0);
        h.Offer(load, readable, 0, o);
        return h;
    }

    /// <summary>The answer takes the fence's order at once, which is exact only while no earlier load of the reader is still choosing.</summary>
    [Fact]
    public void The_smmu_answering_a_readl_while_a_load_of_its_reader_is_still_choosing_is_a_model_fault()
    {
        var h = ReaderChoosing(out _);
        Assert.Throws<InvalidOperationException>(() => h.DeviceAnswered(Reader));
        h.DeviceAnswered(Writer);
    }

    /// <summary>
    /// In a timed run a load of the reader may still be choosing at a mark, for a spin the reader gave up (timed out, its
    /// choices left in flight): the floor rises all the same, and the load's choices stay as offered.
    /// </summary>
    [Fact]
    public void In_a_timed_run_a_mark_that_finds_a_load_of_its_reader_choosing_still_raises_the_floor()
    {
        var h = ReaderChoosing(out var r);
        Assert.True(r.Count > 1);
        h.DeviceAnswered(Reader, late: true);
        Assert.Equal([1], Values(h, Load(Reader, 1)));
        // The given-up load still takes any write it was offered.
        h.Read(Reader, 0, r[0]);
    }

    /// <summary>
    /// Resume's reset reads llq.prod, then llq.cons: two 32-bit reads of different bytes, which Arm does not order, so the
    /// cons read may take an older write than the prod read did. The model held them to CoRR as one location's reads.
    /// </summary>
    [Fact]
    public void A_read_of_one_half_leaves_no_coherence_record_so_the_other_half_may_read_older_whether_it_chose_or_not()
    {
        var h = Written();
        h.Read(Reader, 0, new WriteHistory.Readable(2, 2, 2), unrecorded: true);
        Assert.Equal([0, 1, 2], Values(h, Load(Reader, 0)));
        h.Read(Reader, 0, new WriteHistory.Readable(1, 1, 1));
        Assert.Equal([1, 2], Values(h, Load(Reader, 0)));

        // Offered as a choice among writes, the mark goes with the load until its choice is delivered.
        h = Written();
        var readable = new List<WriteHistory.Readable>();
        var load = Load(Reader, 0);
        h.ReadableBy(load, readable);
        var o = new Outbox();
        o.Begin(0);
        h.Offer(load, readable, 0, o, unrecorded: true);
        var newest = h.Chosen(Reader, 0, o.Messages.Last().A);
        Assert.Equal(2, newest.Value);
        h.Read(Reader, 0, newest);
        Assert.Equal([0, 1, 2], Values(h, Load(Reader, 0)));

        // The same choice without the mark: the reader is coherence-after the write it took.
        h = Written();
        o.Begin(0);
        h.Offer(load, readable, 0, o);
        h.Read(Reader, 0, h.Chosen(Reader, 0, o.Messages.Last().A));
        Assert.Equal([2], Values(h, Load(Reader, 0)));
    }

    [Fact]
    public void A_compare_and_swap_that_fails_on_the_newest_write_is_a_load_a_later_full_barrier_orders()
    {
        // y written first (stamp 1), then x (stamp 2): a CAS that fails on x read stamp 2, so after `[R]; po; [dmb.full]`
        // a load of y may no longer read y's initial value (MP with a failed CAS and a DMB as the reader: Forbidden).
        var h = new WriteHistory([0, 0], 3);
        h.Append(Store(Writer, 1, 1), 1);
        h.Append(Store(Writer, 0, 1), 1);
        h.ReadModifyWrite(Cas(Reader, 0, expected: 2), 1, 12);
        Assert.Equal(1, h.Current(0));
        Assert.Equal([0, 1], Values(h, Load(Reader, 1)));
        h.Fence(Reader);
        Assert.Equal([1], Values(h, Load(Reader, 1)));
    }

    [Fact]
    public void A_load_of_its_own_pending_store_is_forwarded_and_of_its_own_visible_store_counts_as_performed_at_the_floor()
    {
        var h = new WriteHistory([0], 3);
        var own = Load(Writer, 0, floor: 0, own: 1, order: Ordering.Forwards);
        Assert.True(h.Forwarded(own));
        h.Append(Store(Writer, 0, 5, own: 1), 5);
        h.Append(Store(Reader, 0, 6), 6);
        Assert.False(h.Forwarded(own));
        var r = new List<WriteHistory.Readable>();
        h.ReadableBy(own, r);
        Assert.Equal([5, 6], r.Select(x => x.Value));
        Assert.Equal(0, r[0].Performed);
        Assert.Equal(2, r[1].Performed);
    }

    [Fact]
    public void Pruning_forgets_only_writes_no_thread_can_read()
    {
        var h = Written();
        h.Read(Writer, 0, new WriteHistory.Readable(2, 2, 2));
        h.Prune(1);
        Assert.Equal([0, 1, 2], Values(h, Load(Reader, 0)));
        h.Read(Reader, 0, new WriteHistory.Readable(1, 1, 1));
        h.Prune(1);
        Assert.Equal([1, 2], Values(h, Load(Reader, 0)));
        var onlyNewest = new WriteHistory([0], 3, plainLoaded: [false]);
        onlyNewest.Append(Store(Writer, 0, 1), 1);
        onlyNewest.Prune(1);
        Assert.Equal([1], Values(onlyNewest, Load(Reader, 0)));
    }

    static (ulong, ulong) Hash(WriteHistory h)
    {
        var s = new StateHasher(1);
        h.Hash(ref s);
        return s.Value;
    }

    public static TheoryData<string> RankFields() => new(typeof(WriteHistory).GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
        .Where(f => f.GetCustomAttribute<HashedByRankAttribute>() is not null).Select(f => f.Name).ToArray());

    /// <summary>Each field hashed by rank still changes the hash when it moves past a readable write.</summary>
    [Theory]
    [MemberData(nameof(RankFields))]
    public void A_stamp_moved_across_a_readable_write_changes_the_hash(string field)
    {
        var h = Written();
        var before = Hash(h);
        var f = typeof(WriteHistory).GetField(field, BindingFlags.Instance | BindingFlags.NonPublic)!;
        switch (f.GetValue(h))
        {
            case long s: f.SetValue(h, s - 2); break;
            case long[][] rows: rows[Reader][0] = 1; break; // per source and location: the reader at x
            case long[] a: a[Reader] = 2; break;
            case WriteHistory.Write[][] ws: ws[0] = [.. ws[0], new WriteHistory.Write(4, 9, Writer, 0, 0)]; break;
            default: throw new InvalidOperationException($"no way to move {field}");
        }
        Assert.NotEqual(before, Hash(h));
    }

    /// <summary>
    /// Location 0 is plain-loaded, location 1 only spun on. The writer stores 0 := 1 and 1 := 1 in either order: the
    /// same values, and the same ranks among plain-loaded writes. A reader whose spin on 1 ends, then fences and loads
    /// 0, may still read 0's first write only if 1 was written first: the two states go on differently, so they must
    /// hash apart (the hash once kept only 1's newest value and merged them, and a search could skip the second).
    /// </summary>
    [Fact]
    public void The_order_of_a_spun_write_against_plain_loaded_ones_is_state()
    {
        WriteHistory Both(bool spunFirst)
        {
            var h = new WriteHistory([0, 0], 3, plainLoaded: [true, false], spunOn: [false, true]);
            if (spunFirst) h.Append(Store(Writer, 1, 1), 1);
            h.Append(Store(Writer, 0, 1), 1);
            if (!spunFirst) h.Append(Store(Writer, 1, 1), 1);
            return h;
        }
        long[] AfterSpinAndFence(WriteHistory h)
        {
            h.Spun(Reader, 1);
            h.Fence(Reader);
            return Values(h, Load(Reader, 0));
        }
        var (spunFirst, spunLast) = (Both(true), Both(false));
        Assert.NotEqual(Hash(spunFirst), Hash(spunLast));
        Assert.Equal([0, 1], AfterSpinAndFence(spunFirst));
        Assert.Equal([1], AfterSpinAndFence(spunLast));
        // Where no CPU spins on 1, its stamp feeds nothing: the two orders are one state.
        var quiet = new[] { true, false }.Select(first =>
        {
            var h = new WriteHistory([0, 0], 3, plainLoaded: [true, false], spunOn: [false, false]);
            if (first) h.Append(Store(Writer, 1, 1), 1);
            h.Append(Store(Writer, 0, 1), 1);
            if (!first) h.Append(Store(Writer, 1, 1), 1);
            return Hash(h);
        }).ToArray();
        Assert.Equal(quiet[0], quiet[1]);
    }

    /// <summary>Location 0 plain-loaded, location 1 written only by the SMMU (source 1); CPUs are sources 2 and 3.</summary>
    static WriteHistory CpuAndSmmu() => new([0, 0], 4, plainLoaded: [true, false], spunOn: [false, false], firstThread: 2);

    /// <summary>
    /// A read choice in flight names its write by offset from the oldest readable one, not by stamp. Two histories that
    /// hash alike, one with every stamp one higher (an SMMU write of an unchanged value came first), must offer the
    /// same messages: the fabric hashes messages by value, and stamps there once merged states whose writes related
    /// differently to them (the partitioned search, numbering states in another order, found more states).
    /// </summary>
    [Fact]
    public void Read_choices_in_flight_carry_no_stamps()
    {
        (WriteHistory, Outbox) Offered(bool shifted)
        {
            var h = CpuAndSmmu();
            if (shifted) h.Append(Store(1, 1, 0), 0);
            h.Append(Store(2, 0, 1), 1);
            h.Append(Store(2, 0, 2), 2);
            var r = new List<WriteHistory.Readable>();
            var load = Load(3, 0);
            h.ReadableBy(load, r);
            var o = new Outbox();
            o.Begin(0);
            h.Offer(load, r, 0, o);
            return (h, o);
        }
        var (plain, plainOut) = Offered(false);
        var (shifted, shiftedOut) = Offered(true);
        Assert.Equal(Hash(plain), Hash(shifted));
        Assert.Equal(plainOut.Messages.Select(m => (m.A, m.View)), shiftedOut.Messages.Select(m => (m.A, m.View)));
        Assert.Equal([0L, 1L, 2L], plainOut.Messages.Select(m => plain.Chosen(3, 0, m.A).Value));
        Assert.Equal(3, shifted.Chosen(3, 0, 2).Stamp);
    }

    /// <summary>
    /// The hash reads a stamp's rank from a table where the stamps from the oldest kept one to the newest are few, and
    /// searches for it past that: both must give every stamp the same rank. Two histories, alike but that one begins with
    /// 300 SMMU writes of a word no CPU loads, fall one to each case; they hash alike, and a CPU that read the newer of two
    /// writes rather than the older tells them apart in both.
    /// </summary>
    [Fact]
    public void Ranks_from_the_table_and_from_the_search_agree()
    {
        (ulong, ulong) Hashed(int smmuWrites, bool readNewer)
        {
            var h = CpuAndSmmu();
            for (int i = 0; i < smmuWrites; i++) h.Append(Store(1, 1, 0), 0);
            h.Append(Store(2, 0, 1), 1);
            h.Append(Store(2, 0, 2), 2);
            var readable = new List<WriteHistory.Readable>();
            h.ReadableBy(Load(3, 0), readable);
            h.Read(3, 0, readable[readNewer ? 2 : 1]);
            return Hash(h);
        }
        foreach (bool newer in new[] { false, true })
            Assert.Equal(Hashed(0, newer), Hashed(300, newer));
        Assert.NotEqual(Hashed(0, false), Hashed(0, true));
        Assert.NotEqual(Hashed(300, false), Hashed(300, true));
    }

    /// <summary>
    /// The SMMU (a source before the first thread) reads the newest write and never fences, so when it wrote a word
    /// only it writes, against a CPU's write of llq, is no state: the two orders hash alike (they hashed apart while
    /// every source's newest write was hashed, and reviewer-race under armv8 did not close).
    /// </summary>
    [Fact]
    public void When_the_smmu_wrote_against_a_cpu_is_no_state()
    {
        (ulong, ulong) Order(bool smmuFirst)
        {
            var h = CpuAndSmmu();
            if (smmuFirst) h.Append(Store(1, 1, 1), 1);
            h.Append(Store(2, 0, 1), 1);
            if (!smmuFirst) h.Append(Store(1, 1, 1), 1);
            return Hash(h);
        }
        Assert.Equal(Order(true), Order(false));
    }

    const int FirstThread = 2;

    /// <summary>
    /// A history of two plain-loaded words (0 like llq, 1 like the lock), a word CPUs spin on after storing there (2, like a
    /// ring slot's MSI word), one only the SMMU writes (3), and a word CPUs spin on after a write of theirs to word 0 (4,
    /// like owner_prod after a reservation); which CPUs retired, and which are armed for their next spin on word 2 (by CPU)
    /// and on word 4 (4 + CPU).
    /// </summary>
    static (WriteHistory H, bool[] Retired, bool[] Armed) Fresh() =>
        (new([0, 0, 0, 0, 0], 4, plainLoaded: [true, true, false, false, false], spunOn: [false, false, true, false, true], FirstThread,
            armedSpins: [false, false, true, false, true]), new bool[4], new bool[8]);

    static readonly int[] CpuStoresTo = [0, 1, 2, 4];

    /// <summary>One step, drawn from rng; what it returns is what a CPU observes (the values a load may read).</summary>
    static string Step((WriteHistory H, bool[] Retired, bool[] Armed) run, Random rng)
    {
        var h = run.H;
        byte cpu = (byte)rng.Next(FirstThread, 4);
        int loc = rng.Next(2);
        int op = rng.Next(9);
        // A retired CPU loads, spins and fences no more.
        if (run.Retired[cpu] && op is >= 3 and <= 7) op = 0;
        int at = CpuStoresTo[rng.Next(CpuStoresTo.Length)];
        // A CPU spins only armed: unarmed, it makes the write that arms it instead (its store to word 2, its write of word 0).
        int spun = rng.Next(2) == 0 ? 2 : 4, armed = spun == 2 ? cpu : 4 + cpu;
        if (op == 4 && !run.Armed[armed]) (op, at) = (0, spun == 2 ? 2 : 0);
        switch (op)
        {
            case 0:
                h.Append(Store(cpu, at, rng.Next(2)), 0);
                if (at == 2) { h.Arm(cpu, 2); run.Armed[cpu] |= !run.Retired[cpu]; }
                if (at == 0) { h.Arm(cpu, 4); run.Armed[4 + cpu] |= !run.Retired[cpu]; }
                return "";
            case 1: h.Append(Store(cpu, loc, rng.Next(2), extra: Ordering.Release), 0); return "";
            case 2: h.Append(Store(1, rng.Next(2, 4), rng.Next(2)), 0); return "";
            case 3:
                var r = new List<WriteHistory.Readable>();
                h.ReadableBy(Load(cpu, loc, order: rng.Next(2) == 0 ? Ordering.AfterReleases : Ordering.None), r);
                h.Read(cpu, loc, r[rng.Next(r.Count)]);
                return string.Join(",", r.Select(x => x.Value));
            case 4:
                // A spin that says its loop spins again next stays armed for that spin, as a wrapped valid-map poll does.
                bool again = rng.Next(4) == 0;
                h.SpinStarts(cpu, spun);
                h.Spun(cpu, spun, again);
                run.Armed[armed] &= again;
                return "";
            case 5: h.Fence(cpu); return "";
            case 6:
                // The SMMU answers a readl, then its dma_rmb reaches memory.
                h.DeviceAnswered(cpu);
                h.ReadFence(cpu);
                return "";
            case 7:
                h.Retire(cpu);
                run.Retired[cpu] = true;
                run.Armed[cpu] = run.Armed[4 + cpu] = false;
                return "";
            default: h.Prune(FirstThread); return "";
        }
    }

    /// <summary>
    /// The hash may merge two histories only if no future tells them apart. Random histories of a driver-shaped layout
    /// (<see cref="Fresh"/>; source 1 is the SMMU, 2 and 3 CPUs) are grouped by hash, and every pair that hashes alike is
    /// driven through the same random futures: each load must be offered the same values, and the two must hash alike
    /// after every step. Dropping what the hash keeps of a spun write, of a CPU's newest write or of its coherence
    /// record, or leaving the spun words' maxima out for an armed CPU, makes this fail. A CPU may retire (its program
    /// ended), after which only its stores still in flight land; it spins on word 2 only after storing there since its
    /// last spin there, and on word 4 only after writing word 0 since its last spin there (<c>armedSpins</c>), as the
    /// driver's CPUs poll a CMD_SYNC's MSI word and wait on owner_prod.
    /// </summary>
    [Fact]
    public void Histories_that_hash_alike_go_on_alike()
    {
        (WriteHistory, bool[], bool[]) Prefix(int seed)
        {
            var h = Fresh();
            var rng = new Random(seed);
            for (int i = rng.Next(9); i > 0; i--) Step(h, rng);
            return h;
        }
        // Which CPUs are armed is their own state (a thread's program counter), hashed beside memory.
        var byHash = new Dictionary<((ulong, ulong), string), int>();
        int pairs = 0;
        for (int seed = 0; seed < 4000; seed++)
        {
            var (history, _, armed) = Prefix(seed);
            var key = (Hash(history), string.Join(",", armed));
            if (!byHash.TryAdd(key, seed)) { Replay(byHash[key], seed); pairs++; }
        }
        Assert.True(pairs > 500, $"only {pairs} histories merged with another: the test checks too little");

        void Replay(int first, int second)
        {
            for (int future = 0; future < 8; future++)
            {
                var (a, b) = (Prefix(first), Prefix(second));
                var (ra, rb) = (new Random(future * 7919 + 1), new Random(future * 7919 + 1));
                for (int step = 0; step < 10; step++)
                {
                    Assert.True(Step(a, ra) == Step(b, rb), $"prefixes {first} and {second} hash alike, future {future} step {step} reads differently");
                    Assert.True(Hash(a.Item1) == Hash(b.Item1), $"prefixes {first} and {second} hash alike, future {future} step {step} hashes apart");
                }
            }
        }
    }

    /// <summary>
    /// The search keeps a state's memory while its successors are built from clones of it, so a clone written in any way
    /// (each array is copied only when it is first written) must leave the history it was cloned from as it was.
    /// </summary>
    [Fact]
    public void A_clone_never_changes_the_history_it_was_cloned_from()
    {
        for (int seed = 0; seed < 2000; seed++)
        {
            var rng = new Random(seed);
            var run = Fresh();
            for (int i = rng.Next(9); i > 0; i--) Step(run, rng);
            string before = Contents(run.H);
            // Two siblings, as a state's successors are.
            for (int sibling = 0; sibling < 2; sibling++)
            {
                var clone = (run.H.Clone(), (bool[])run.Retired.Clone(), (bool[])run.Armed.Clone());
                for (int i = 0; i < 4; i++) Step(clone, rng);
            }
            Assert.True(before == Contents(run.H), $"seed {seed}: writing a clone changed its original\n{before}\n{Contents(run.H)}");
        }
    }

    /// <summary>Every field of the history but the copy-on-write bookkeeping, arrays by content.</summary>
    static string Contents(WriteHistory h) => string.Join(" | ", typeof(WriteHistory).GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
        .Where(f => f.Name != "_shared")
        .Select(f => f.Name + "=" + (f.GetValue(h) switch
        {
            WriteHistory.Write[][] writes => string.Join(";", writes.Select(ws => string.Join(",", ws))),
            Array a => string.Join(",", a.Cast<object>()),
            var v => v?.ToString() ?? "null",
        })));

    /// <summary>
    /// Once a CPU's program ended, what it read is forgotten: two histories that differ only in which write the finished
    /// reader took hash apart before it retires and alike after, since the writes kept only for it are pruned.
    /// </summary>
    [Fact]
    public void A_retired_threads_past_is_forgotten()
    {
        const byte other = 3;
        WriteHistory After(int readIndex)
        {
            var h = new WriteHistory([0], 4, firstThread: 2);
            h.Append(Store(Writer, 0, 1), 1);
            h.Append(Store(Writer, 0, 2), 2);
            var r = new List<WriteHistory.Readable>();
            h.ReadableBy(Load(Reader, 0), r);
            h.Read(Reader, 0, r[readIndex]);
            h.ReadableBy(Load(other, 0), r);
            h.Read(other, 0, r[^1]);
            h.Prune(2);
            return h;
        }
        var (old, newest) = (After(0), After(2));
        Assert.Equal([0, 1, 2], Values(old, Load(Reader, 0)));
        Assert.Equal([2], Values(newest, Load(Reader, 0)));
        Assert.NotEqual(Hash(old), Hash(newest));
        old.Retire(Reader);
        newest.Retire(Reader);
        Assert.Equal(Hash(old), Hash(newest));
        // A store of the retired CPU still in flight lands, and leaves no record of it.
        old.Append(Store(Reader, 0, 3), 3);
        newest.Append(Store(Reader, 0, 3), 3);
        Assert.Equal(Hash(old), Hash(newest));
        Assert.Equal([2, 3], Values(old, Load(other, 0)));
    }
}
