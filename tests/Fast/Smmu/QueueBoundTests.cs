using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;
using Xunit;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// <see cref="DriverThread.MaxSlots"/> bounds the slots each op reserves, and with it whether owner_prod can come back
/// to a value it held (two laps), which decides whether owner-prod-spin=newest may print HOLDS under loads=armv8.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class QueueBoundTests
{
    static readonly string[] Workloads = ["reviewer-race.json", "full-queue.json", "storm.json", "pm-cycles.json", "cons-wait.json"];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var w in Workloads)
            foreach (var (preset, _, _) in Variants.Presets) data.Add(w, preset);
        return data;
    }

    /// <summary>
    /// Every thread's reservations in random runs add up to at most its program's bound, and each thread reserves its
    /// whole bound in some run (a loose bound would only make verdicts weaker than they need be, but it would be wrong).
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_thread_reserves_at_most_its_programs_bound(string workload, string preset)
    {
        var model = Scenarios.Shipped(workload, preset);
        var bound = model.Workload.Threads.Select(t => t.Program.Sum(op => (long)DriverThread.MaxSlots(op, model.Variant))).ToArray();
        var most = new long[bound.Length];
        for (ulong seed = 1; seed <= 100; seed++)
        {
            var r = Scenarios.Random(model, seed, trace: true);
            var reserved = new long[bound.Length];
            foreach (var e in Scenarios.Events(r).Where(e => e.Kind() == EventKind.Committed))
                reserved[e.Actor - Layout.FirstThread] += model.Layout.Q.Distance((uint)e.A, (uint)e.B);
            for (int t = 0; t < bound.Length; t++)
            {
                Assert.True(reserved[t] <= bound[t], $"seed {seed}: {model.Workload.Threads[t].Name} reserved {reserved[t]} slots, bound {bound[t]}");
                most[t] = Math.Max(most[t], reserved[t]);
            }
        }
        Assert.Equal(bound, most);
    }

    // A two-entry queue: owner_prod's values recur at position 4, which a reservation can start at only when 5 slots or
    // more are reserved in all; 4 syncs end at position 4 with the last one starting at 3.
    [Theory]
    [InlineData(2, 2, false)]
    [InlineData(3, 2, true)]
    [InlineData(1, 1, false)]
    public void Owner_prod_recurs_once_a_reservation_can_start_two_laps_in(int cpu0Syncs, int cpu1Syncs, bool recurs)
    {
        static string Syncs(int n) => string.Join(",", Enumerable.Repeat("""{ "op": "sync" }""", n));
        var model = Scenarios.Inline($$"""
            {
              "name": "laps", "queueShift": 1,
              "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
              "threads": [ { "name": "cpu0", "program": [ {{Syncs(cpu0Syncs)}} ] }, { "name": "cpu1", "program": [ {{Syncs(cpu1Syncs)}} ] } ],
              "delays": { "min": 1, "max": 4, "longProbability": 0.05, "longMax": 40 }
            }
            """, "no-gate", "loads=armv8");
        Assert.Equal(recurs, model.OwnerProdMayRecur);
    }

    // The valid map is one 64-bit word up to 64 entries, which the owner XORs before it polls: only a larger queue has
    // words the owner may poll without having written them, where reading the newest write only is stronger than Arm.
    [Fact]
    public void Valid_map_polls_on_the_newest_write_are_flagged_only_for_maps_of_several_words()
    {
        foreach (var w in Workloads) Assert.False(Scenarios.Shipped(w, "as-posted", "loads=armv8").ValidMapPollStrongerThanArmv8, w);
        static string Queue(int shift) => $$"""
            { "name": "q", "queueShift": {{shift}}, "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
              "threads": [ { "name": "cpu0", "program": [ { "op": "unmap", "iova": "A" } ] } ] }
            """;
        Assert.False(Scenarios.Inline(Queue(6), "as-posted", "loads=armv8").ValidMapPollStrongerThanArmv8);
        Assert.True(Scenarios.Inline(Queue(7), "as-posted", "loads=armv8").ValidMapPollStrongerThanArmv8);
        Assert.False(Scenarios.Inline(Queue(7), "as-posted").ValidMapPollStrongerThanArmv8);
    }

    // reviewer-race reserves at most 7 slots of an 8-entry queue: owner_prod never comes back to a value, so its
    // armv8 verdicts (recheck-mb HOLDS) need no owner_prod history. The others lap their queues more than twice.
    [Theory]
    [InlineData("reviewer-race.json", "as-posted", false)]
    [InlineData("reviewer-race.json", "drain-by-sync", false)]
    [InlineData("full-queue.json", "as-posted", true)]
    [InlineData("storm.json", "no-gate", true)]
    [InlineData("pm-cycles.json", "as-posted", true)]
    public void Owner_prod_recurs_only_where_the_queue_can_lap_twice(string workload, string preset, bool recurs)
    {
        var model = Scenarios.Shipped(workload, preset, "loads=armv8");
        Assert.Equal(recurs, model.OwnerProdMayRecur);
        Assert.Equal(recurs, model.OwnerProdWaitsStrongerThanArmv8);
        Assert.False(Scenarios.Shipped(workload, preset, "loads=armv8", "owner-prod-spin=armv8").OwnerProdWaitsStrongerThanArmv8);
        Assert.False(Scenarios.Shipped(workload, preset).OwnerProdWaitsStrongerThanArmv8);
    }
}
