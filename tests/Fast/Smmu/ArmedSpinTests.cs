using SmmuActors.Model.Workloads;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;
using Xunit;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// Under loads=armv8 the state hash keeps what a CPU's next spin on a word may end on (the word's newest write, against
/// the CPU's barrier point) only while the CPU is armed for that spin (<see cref="WriteHistory.Arm"/>), on two claims about
/// the driver model that these tests hold it to over random runs of every preset on every shipped workload, in both
/// CMD_SYNC modes: a CPU spins on a ring slot's MSI word or a lone valid-map word only after a store of its own there since
/// its last spin there (<see cref="Layout.SpunOnlyAfterOwnStore"/>), and waits on owner_prod only after a reservation (a
/// compare-and-swap of llq that succeeded) or the suspend's STOP set (its fetch_or of llq) since its last wait there
/// (<see cref="Layout.SpunOnlyAfterLlqCommit"/>).
/// Unarmed, the CPU writes before its next spin there, which orders that spin after every write there now. The one
/// exception says so: the owner's valid-map poll spins on the word twice when its batch wraps within it, and the first
/// of the two spins is marked (<see cref="WaitCondition.SpinsAgain"/>).
/// </summary>
[Trait("Suite", "Fast")]
public sealed class ArmedSpinTests
{
    static readonly string[] Workloads = ["reviewer-race.json", "full-queue.json", "storm.json", "pm-cycles.json", "cons-wait.json"];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var w in Workloads)
            foreach (var (preset, _, _) in Variants.Presets)
                foreach (var mode in new[] { "sync-mode=msi", "sync-mode=cons" })
                    // A non-coherent SMMU polls CONS only (Variants.Build refuses MSI there).
                    if (Scenarios.Builds(preset, mode)) data.Add(w, preset, mode);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_cpu_spins_on_such_a_word_only_after_a_store_of_its_own_there_since_its_last_spin_there(string workload, string preset, string mode)
    {
        int spins = 0;
        foreach (var (model, seed, deliveries) in Runs(workload, preset, mode, 40))
        {
            var stored = new HashSet<(byte, int)>();
            foreach (var m in deliveries)
            {
                if (m.Dst != Layout.MemoryActor || m.Src < Layout.FirstThread) continue;
                if ((m.Order & Ordering.IsStore) != 0) stored.Add((m.Src, m.Loc));
                else if (m.Kind == MessageKind.Wait && model.Layout.SpunOnlyAfterOwnStore(m.Loc))
                {
                    spins++;
                    Assert.True(stored.Contains((m.Src, m.Loc)),
                        $"seed {seed}: {model.Workload.Threads[m.Src - Layout.FirstThread].Name} spins on {model.Layout.LocationClass(m.Loc)} {m.Loc} with no store there since its last spin there");
                    // A spin that says its loop spins there again next keeps the store for that spin.
                    if (!WaitCondition.SpinsAgain(m.C)) stored.Remove((m.Src, m.Loc));
                }
            }
        }
        // Every workload's CPUs poll the valid map as owners; in MSI mode they also poll their CMD_SYNCs' slots.
        Assert.True(spins > 0, "no spin on such a word was delivered: the test checked nothing");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_cpu_waits_on_owner_prod_only_after_a_reservation_or_a_stop_set_since_its_last_wait_there(string workload, string preset, string mode)
    {
        int waits = 0;
        foreach (var (model, seed, deliveries) in Runs(workload, preset, mode, 40))
        {
            var expected = new Dictionary<byte, long?>();
            var reserved = new HashSet<byte>();
            foreach (var m in deliveries)
            {
                if (m is { Kind: MessageKind.Cas, Dst: Layout.MemoryActor, Loc: Layout.Llq } && m.Src >= Layout.FirstThread) expected[m.Src] = m.A;
                // A fetch_or of llq always writes (STOP); a compare-and-swap only if llq held what it expected.
                else if (m is { Kind: MessageKind.FetchOr, Dst: Layout.MemoryActor, Loc: Layout.Llq } && m.Src >= Layout.FirstThread) expected[m.Src] = null;
                else if (m is { Kind: MessageKind.RmwReply, Loc: Layout.Llq } && expected.Remove(m.Dst, out long? a) && (a is null || m.A == a)) reserved.Add(m.Dst);
                else if (m is { Kind: MessageKind.Wait, Dst: Layout.MemoryActor, Loc: Layout.OwnerProd } && m.Src >= Layout.FirstThread)
                {
                    waits++;
                    Assert.True(reserved.Remove(m.Src),
                        $"seed {seed}: {model.Workload.Threads[m.Src - Layout.FirstThread].Name} waits on owner_prod with no reservation or STOP set since its last wait there");
                }
            }
        }
        // Every workload has owners; every preset but those that elide every submission has them wait on owner_prod.
        Assert.True(waits > 0 || preset == "no-reset-invalidate", "no wait on owner_prod was delivered: the test checked nothing");
    }

    /// <summary>
    /// The marked spins are exactly the first halves of wrapped valid-map polls: each is followed by its thread's next
    /// spin, on the same word, with no access of that thread to the word between; storm (four CPUs on a four-entry queue)
    /// wraps batches within the word often enough that the mark is exercised.
    /// </summary>
    [Fact]
    public void A_spin_marked_as_spinning_again_is_followed_by_its_threads_next_spin_on_the_same_word()
    {
        int marked = 0;
        foreach (var (_, seed, deliveries) in Runs("storm.json", "as-posted", "sync-mode=msi", 200))
        {
            var open = new Dictionary<byte, int>();
            foreach (var m in deliveries)
            {
                if (m.Dst != Layout.MemoryActor || m.Src < Layout.FirstThread) continue;
                if (open.TryGetValue(m.Src, out int loc))
                {
                    Assert.True(m.Kind == MessageKind.Wait && m.Loc == loc, $"seed {seed}: after a spin marked as spinning again, {m.Kind} at {m.Loc}");
                    open.Remove(m.Src);
                }
                if (m.Kind == MessageKind.Wait && WaitCondition.SpinsAgain(m.C))
                {
                    Assert.Equal(Layout.ValidMapBase, m.Loc);
                    open[m.Src] = m.Loc;
                    marked++;
                }
            }
        }
        Assert.True(marked > 0, "no wrapped valid-map poll in 200 storm runs: the mark went untested");
    }

    /// <summary>
    /// Random runs with seeds 1 to <paramref name="seeds"/>, under loads=in-order and under loads=armv8 (where a spin that
    /// breaks a claim also throws, <see cref="WriteHistory.SpinStarts"/>): each with the messages it delivered, in order.
    /// </summary>
    static IEnumerable<(ScenarioModel Model, ulong Seed, IEnumerable<Message> Deliveries)> Runs(string workload, string preset, string mode, int seeds)
    {
        foreach (var loads in new[] { "loads=in-order", "loads=armv8" })
        {
            var model = Scenarios.Shipped(workload, preset, mode, loads);
            for (ulong seed = 1; seed <= (ulong)seeds; seed++)
                yield return (model, seed, Scenarios.Random(model, seed, trace: true).Trace!.Entries.Select(e => e.Message));
        }
    }

    /// <summary>
    /// In a timed run a wait the CPU gave up stays parked and may be answered late. In these full-queue runs under armv8
    /// the suspend's flush timed out, resume reserved slots (arming its next wait on owner_prod), and the flush wait's
    /// late answer then disarmed it: the next wait threw "spins on location 1 unarmed", and `explore --set loads=armv8
    /// --workload scenarios/full-queue.json --runs 20000` died with that exception. Such an answer now leaves the arming.
    /// </summary>
    [Theory]
    [InlineData(1732UL)]
    [InlineData(2417UL)]
    public void An_answer_to_a_wait_given_up_before_the_cpu_was_armed_again_leaves_it_armed(ulong seed)
    {
        var model = Scenarios.Shipped("full-queue.json", "as-posted", "loads=armv8");
        var entries = Scenarios.Random(model, seed, trace: true).Trace!.Entries;
        int flushTimedOut = entries.ToList().FindIndex(e => e.Events.Any(ev => ev.Kind() == EventKind.DrainTimeout && ev.A == 1));
        Assert.True(flushTimedOut >= 0, "the flush never timed out: this run no longer shows the late answer");
        byte pm = entries[flushTimedOut].Message.Dst;
        var after = entries.Skip(flushTimedOut).Select(e => e.Message).ToList();
        int reserved = after.FindIndex(m => m.Src == pm && m.Kind == MessageKind.Cas && m.Loc == Layout.Llq);
        Assert.True(reserved >= 0, "resume never reserved");
        Assert.Contains(after.Skip(reserved), m => m.Dst == pm && m.Kind == MessageKind.WaitReply && m.Loc == Layout.OwnerProd);
    }

    [Fact]
    public void Only_ring_slots_and_a_lone_valid_map_word_are_such_words()
    {
        var small = new Layout(shift: 3, iovas: 1, vars: 0, threads: 2);
        Assert.True(small.SpunOnlyAfterOwnStore(small.Slot(5)));
        Assert.True(small.SpunOnlyAfterOwnStore(Layout.ValidMapBase));
        Assert.False(small.SpunOnlyAfterOwnStore(Layout.OwnerProd));
        Assert.False(small.SpunOnlyAfterOwnStore(Layout.Lock));
        Assert.False(small.SpunOnlyAfterOwnStore(Layout.Llq));
        // Two valid-map words: the owner polls words of other CPUs' ranges that it never wrote.
        var large = new Layout(shift: 7, iovas: 1, vars: 0, threads: 2);
        Assert.False(large.SpunOnlyAfterOwnStore(Layout.ValidMapBase));
    }
}
