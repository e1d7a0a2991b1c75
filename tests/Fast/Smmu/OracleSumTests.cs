using System.Reflection;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// The checks hash their four collections (commands' positions, committed slots not yet valid, published commands not
/// yet executed, executed commands) through sums kept as each changes, not by a pass over each at every state. A change
/// that misses its sum would merge states that differ, so every sum is held to its collection after every delivery of
/// walks through every shipped workload, picking at random among what may go next.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class OracleSumTests
{
    const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic;

    [Theory]
    [InlineData("reviewer-race.json")]
    [InlineData("full-queue.json")]
    [InlineData("pm-cycles.json")]
    [InlineData("storm.json")]
    public void EverySumIsItsCollections(string workload)
    {
        var model = Scenarios.Shipped(workload);
        var random = new Random(11);
        int checkedStates = 0;
        for (int walk = 0; walk < 100; walk++)
            Scenarios.Walk(model, (_, n) => random.Next(n), after: r =>
            {
                var off = Off((Oracle)r.Invariants);
                Assert.True(off.Count == 0, $"{workload}, walk {walk}, step {r.Fabric.Steps}: sums off their collections: {string.Join(", ", off)}");
                checkedStates++;
            });
        Assert.True(checkedStates > 1000);
    }

    [Fact]
    public void ASumOffItsCollectionIsSeen()
    {
        var model = Scenarios.Shipped("reviewer-race.json");
        var oracle = (Oracle)model.CreateOracle();
        typeof(Oracle).GetField("_executedSum", Instance)!.SetValue(oracle, 1L);
        Assert.Equal(["_executedSum"], Off(oracle));
    }

    const uint Wrap = 8; // reviewer-race's queue has 8 entries: WRP is bit 3
    // Command ids as threads number them (thread in the high bits): A1 + B2 = A2 + B1.
    const int A1 = 1 << 20 | 1, A2 = 1 << 20 | 2, B1 = 2 << 20 | 1, B2 = 2 << 20 | 2;

    /// <summary>
    /// Two runs that executed different commands whose ids add up the same are different states: the re-run check
    /// (queue-invariant) tells them apart. Summed raw, the two sets hashed alike and the search merged the states.
    /// </summary>
    [Fact]
    public void Executed_sets_that_add_up_the_same_hash_apart()
    {
        Assert.NotEqual(
            HashAfter(Smmu(EventKind.Executed, 0, A1), Smmu(EventKind.Executed, 1, B2)),
            HashAfter(Smmu(EventKind.Executed, 0, A2), Smmu(EventKind.Executed, 1, B1)));
        Assert.Equal(
            HashAfter(Smmu(EventKind.Executed, 0, A1), Smmu(EventKind.Executed, 1, B2)),
            HashAfter(Smmu(EventKind.Executed, 1, B2), Smmu(EventKind.Executed, 0, A1)));
    }

    /// <summary>
    /// Two commands written for each other's positions, both slots since rewritten alike: the positions differ, and with
    /// them which fetch is a lap late. XORed into a product of the id and summed, odd products with the positions 0 and 1
    /// added up the same (the search merged such states of cons-wait: 29,312 of them were 26,281).
    /// </summary>
    [Fact]
    public void Commands_written_for_swapped_positions_hash_apart()
    {
        ModelEvent[] Laps(int first, int second) =>
        [
            Cpu(EventKind.SlotWritten, 1, first), Cpu(EventKind.SlotWritten, 0, second),
            Cpu(EventKind.SlotWritten, 0 | Wrap, A2), Cpu(EventKind.SlotWritten, 1 | Wrap, B2),
        ];
        Assert.NotEqual(HashAfter(Laps(A1, B1)), HashAfter(Laps(B1, A1)));
        // The same commands at the same positions, the first lap's two written in the other order: the same state.
        var laps = Laps(A1, B1);
        (laps[0], laps[1]) = (laps[1], laps[0]);
        Assert.Equal(HashAfter(Laps(A1, B1)), HashAfter(laps));
    }

    static ModelEvent Smmu(EventKind kind, long pos, int id) => new((byte)kind, Layout.SmmuActor, pos, id, 0);
    static ModelEvent Cpu(EventKind kind, long pos, int id) => new((byte)kind, Layout.FirstThread, pos, id, 0);

    /// <summary>The checks' part of the state hash after each event delivered on its own.</summary>
    static (ulong, ulong) HashAfter(params ModelEvent[] events)
    {
        var o = Scenarios.Shipped("reviewer-race.json").CreateOracle(judgeTimeouts: false);
        var m = new Message { Src = Layout.MemoryActor, Dst = Layout.SmmuActor, Kind = MessageKind.LoadReply };
        long step = 0;
        foreach (var e in events) o.Observe(m, [e], ++step, step);
        var h = new StateHasher(0);
        o.Hash(ref h);
        return h.Value;
    }

    /// <summary>The sums that are not what their collections add up to.</summary>
    static List<string> Off(Oracle o)
    {
        T Get<T>(string name) => (T)typeof(Oracle).GetField(name, Instance)!.GetValue(o)!;
        var off = new List<string>();
        if (Get<Dictionary<int, uint>>("_idPos").Aggregate(0L, (s, p) => s + Oracle.IdPosTerm(p.Key, p.Value)) != Get<long>("_idPosSum")) off.Add("_idPosSum");
        if (Get<HashSet<uint>>("_unvalidated").Aggregate(0L, (s, p) => s + Oracle.UnvalidatedTerm(p)) != Get<long>("_unvalidatedSum")) off.Add("_unvalidatedSum");
        if (Get<HashSet<int>>("_validated").Aggregate(0L, (s, id) => s + Oracle.ValidatedTerm(id)) != Get<long>("_validatedSum")) off.Add("_validatedSum");
        if (Get<HashSet<int>>("_executed").Aggregate(0L, (s, id) => s + Oracle.ExecutedTerm(id)) != Get<long>("_executedSum")) off.Add("_executedSum");
        return off;
    }
}
