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

    /// <summary>The sums that are not what their collections add up to.</summary>
    static List<string> Off(Oracle o)
    {
        T Get<T>(string name) => (T)typeof(Oracle).GetField(name, Instance)!.GetValue(o)!;
        var off = new List<string>();
        if (Get<Dictionary<int, uint>>("_idPos").Aggregate(0L, (s, p) => s + ((p.Key * 0x27D4EB2FL) ^ p.Value)) != Get<long>("_idPosSum")) off.Add("_idPosSum");
        if (Get<HashSet<uint>>("_unvalidated").Aggregate(0L, (s, p) => s + p * 0x9E3779B1L) != Get<long>("_unvalidatedSum")) off.Add("_unvalidatedSum");
        if (Get<HashSet<int>>("_validated").Aggregate(0L, (s, id) => s + id * 0x85EBCA77L) != Get<long>("_validatedSum")) off.Add("_validatedSum");
        if (Get<HashSet<int>>("_executed").Aggregate(0L, (s, id) => s + id * 0xC2B2AE3DL) != Get<long>("_executedSum")) off.Add("_executedSum");
        return off;
    }
}
