using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;
using Xunit;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// <see cref="Layout.SpunOnlyAfterOwnStore"/>: under loads=armv8 the state hash leaves out, for a CPU that has not
/// accessed such a word yet, the stamp of the word's newest write (<see cref="WriteHistory"/>), on the claim that the
/// CPU stores to the word before it ever spins on it, so that write cannot be what its spin ends on. Random runs of
/// every preset on every shipped workload, in both CMD_SYNC modes, hold the driver model to that claim.
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
    public void A_cpu_spins_on_such_a_word_only_after_its_own_store_there(string workload, string preset, string mode)
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
                        $"seed {seed}: {model.Workload.Threads[m.Src - Layout.FirstThread].Name} spins on {model.Layout.LocationClass(m.Loc)} {m.Loc} before storing there");
                }
            }
        }
        // Every workload's CPUs poll the valid map as owners; in MSI mode they also poll their CMD_SYNCs' slots.
        Assert.True(spins > 0, "no spin on such a word was delivered: the test checked nothing");
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
