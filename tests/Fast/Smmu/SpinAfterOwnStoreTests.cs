using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;
using Xunit;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// <see cref="Layout.SpunOnlyAfterOwnStore"/>: under loads=armv8 the state hash leaves out, for a CPU that has not
/// stored to such a word since its last spin there began, the stamp of the word's newest write (<see cref="WriteHistory"/>),
/// on the claim that the CPU stores to the word before each spin on it, so that write cannot be what its next spin ends
/// on. The one exception says so: the owner's valid-map poll spins on the word twice when its batch wraps within it, and
/// the first of the two spins is marked (<see cref="WaitCondition.SpinsAgain"/>). Random runs of every preset on every
/// shipped workload, in both CMD_SYNC modes, hold the driver model to that claim.
/// </summary>
public sealed class SpinAfterOwnStoreTests
{
    static readonly string[] Workloads = ["reviewer-race.json", "full-queue.json", "storm.json", "pm-cycles.json", "cons-wait.json"];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var w in Workloads)
            foreach (var (preset, _, _) in Variants.Presets)
                foreach (var mode in new[] { "sync-mode=msi", "sync-mode=cons" }) data.Add(w, preset, mode);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_cpu_spins_on_such_a_word_only_after_a_store_of_its_own_there_since_its_last_spin_there(string workload, string preset, string mode)
    {
        var model = Scenarios.Shipped(workload, preset, mode);
        int spins = 0;
        for (ulong seed = 1; seed <= 40; seed++)
        {
            var r = Scenarios.Random(model, seed, trace: true);
            var stored = new HashSet<(byte, int)>();
            foreach (var e in r.Trace!.Entries)
            {
                var m = e.Message;
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

    /// <summary>
    /// The marked spins are exactly the first halves of wrapped valid-map polls: each is followed by its thread's next
    /// spin, on the same word, with no access of that thread to the word between; storm (four CPUs on a four-entry queue)
    /// wraps batches within the word often enough that the mark is exercised.
    /// </summary>
    [Fact]
    public void A_spin_marked_as_spinning_again_is_followed_by_its_threads_next_spin_on_the_same_word()
    {
        var model = Scenarios.Shipped("storm.json", "as-posted", "loads=armv8");
        int marked = 0;
        for (ulong seed = 1; seed <= 200; seed++)
        {
            var r = Scenarios.Random(model, seed, trace: true);
            var open = new Dictionary<byte, int>();
            foreach (var e in r.Trace!.Entries)
            {
                var m = e.Message;
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
