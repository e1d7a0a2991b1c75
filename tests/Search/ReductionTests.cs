using SmmuActors.Model.Exploration;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;
using Xunit;

namespace SmmuActors.Tests.Search;

/// <summary>
/// The partial-order reduction against the search without it (<c>explore --no-reduction</c>): a persistent-set search
/// reaches every final state (nothing enabled there, so no delivery can have been put off) and keeps every safety and
/// liveness verdict (docs/model.md, "What the reduction keeps"). A delivery order the reduction wrongly took as
/// independent shows here as a final state, or a kind, that only the full search finds.
/// </summary>
[Trait("Suite", "Search")]
public sealed class ReductionTests
{
    static ExhaustiveResult Search(ScenarioModel model, bool reduce) =>
        StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, reduce);

    static void SameAnswer(ScenarioModel model)
    {
        var (reduced, full) = (Search(model, true), Search(model, false));
        Assert.True(reduced.Exhausted && full.Exhausted, "both searches must close for the comparison to mean anything");
        Assert.Equal(full.Result.ViolationsByKind.Keys.Order(), reduced.Result.ViolationsByKind.Keys.Order());
        Assert.Equal(full.Result.Runs, reduced.Result.Runs);
        Assert.Equal(full.Result.Outcomes.OrderBy(o => o.Key), reduced.Result.Outcomes.OrderBy(o => o.Key));
        Assert.True(reduced.States < full.States, $"the reduction left {reduced.States:N0} of {full.States:N0} states: it did nothing");
    }

    public static TheoryData<string> Presets() => new(Variants.Presets.Select(p => p.Name));

    /// <summary>reviewer-race under in-order loads: 22,229 states as posted instead of 70,768.</summary>
    [Theory]
    [MemberData(nameof(Presets))]
    public void Reviewer_race_reduced_has_the_full_searchs_final_states_and_verdicts(string preset) =>
        SameAnswer(Scenarios.Shipped("reviewer-race.json", preset));

    /// <summary>
    /// The SMMU reading ahead (cons-advance=any) adds timers of its own, each a delivery to the SMMU that the reduction
    /// must order against the SMMU's other deliveries: the same final states and verdicts, with and without lost MSIs.
    /// </summary>
    [Theory]
    [InlineData("as-posted")]
    [InlineData("recheck-mb")]
    [InlineData("drain-by-sync")]
    [InlineData("gate-outside-cas")]
    public void Reviewer_race_with_the_smmu_reading_ahead_reduced_has_the_full_searchs_answer(string preset)
    {
        SameAnswer(Scenarios.Shipped("reviewer-race.json", preset, "cons-advance=any"));
        SameAnswer(Scenarios.Shipped("reviewer-race.json", preset, "cons-advance=any", "msi-power-off=lost"));
    }

    // Small enough to search whole under Armv8's rules, where the reduction splits memory by word and the write order
    // (Reduction.Order): an unmap racing a suspend, and two CMD_SYNCs on a four-entry queue.
    const string UnmapWhileSuspending = """
        { "name": "unmap-while-suspending", "queueShift": 3, "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
          "threads": [ { "name": "cpu0", "program": [ { "op": "unmap", "iova": "A" } ] }, { "name": "pm", "program": [ { "op": "suspend" } ] } ],
          "delays": { "min": 1, "max": 3 }, "bounds": { "maxSteps": 5000, "maxStates": 1000000 } }
        """;

    const string TwoSyncs = """
        { "name": "two-syncs", "queueShift": 2, "iovas": [ { "name": "A", "mapped": true } ],
          "threads": [ { "name": "cpu0", "program": [ { "op": "sync" } ] }, { "name": "cpu1", "program": [ { "op": "sync" } ] } ],
          "delays": { "min": 1, "max": 3 }, "bounds": { "maxSteps": 5000, "maxStates": 1000000 } }
        """;

    [Theory]
    [InlineData("as-posted")]
    [InlineData("no-gate")]
    [InlineData("gate-outside-cas")]
    [InlineData("unmasked-flags")]
    public void Under_armv8_an_unmap_racing_a_suspend_reduced_has_the_full_searchs_answer(string preset) =>
        SameAnswer(Scenarios.Inline(UnmapWhileSuspending, preset, "loads=armv8"));

    /// <summary>valid-barrier=none loses a command here; the others stay clean.</summary>
    [Theory]
    [InlineData("sync-mode=cons")]
    [InlineData("shared-unlock=relaxed")]
    [InlineData("valid-barrier=none")]
    public void Under_armv8_two_cmd_syncs_reduced_have_the_full_searchs_answer(string setting) =>
        SameAnswer(Scenarios.Inline(TwoSyncs, "as-posted", "loads=armv8", setting));

    /// <summary>
    /// Workload loads under loads=armv8 do not hold their thread, so a thread may have several answers in flight, a held
    /// store-release, and a CMD_SYNC of its own while a load is still unanswered: the reduction must still keep every
    /// outcome and verdict.
    /// </summary>
    [Theory]
    [InlineData("""{ "op": "load", "var": "x" }, { "op": "store", "var": "y", "value": 1 }""",
        """{ "op": "load", "var": "y" }, { "op": "store", "var": "x", "value": 1 }""")]
    [InlineData("""{ "op": "load", "var": "x" }, { "op": "store-release", "var": "y", "value": 1 }, { "op": "store", "var": "x", "value": 2 }, { "op": "load", "var": "y" }""",
        """{ "op": "store", "var": "y", "value": 2 }, { "op": "load", "var": "x" }, { "op": "store", "var": "x", "value": 1 }""")]
    [InlineData("""{ "op": "load", "var": "x" }, { "op": "load", "var": "y" }, { "op": "sync" }""",
        """{ "op": "store", "var": "y", "value": 1 }, { "op": "idle", "ticks": 5 }, { "op": "store-release", "var": "x", "value": 1 }""")]
    public void Under_armv8_workload_loads_that_do_not_hold_their_thread_reduced_have_the_full_searchs_answer(string cpu0, string cpu1) =>
        SameAnswer(Scenarios.Inline($$"""
            { "name": "loads", "queueShift": 2, "vars": ["x", "y"],
              "threads": [ { "name": "cpu0", "program": [ {{cpu0}} ] }, { "name": "cpu1", "program": [ {{cpu1}} ] } ],
              "delays": { "min": 1, "max": 3 }, "bounds": { "maxSteps": 5000, "maxStates": 1000000 } }
            """, "as-posted", "loads=armv8"));

    /// <summary>
    /// The cycle proviso expands a reduced state again with what its persistent set left out, and only that: a state
    /// whose thread step was widened (it reported a commit to the oracle) had explored the widened set, so no delivery
    /// is explored twice from one state (a duplicate edge inflated the step and kind counts).
    /// </summary>
    [Theory]
    [InlineData("as-posted", "loads=in-order")]
    [InlineData("no-gate", "loads=in-order")]
    public void A_state_expanded_again_explores_no_delivery_twice(string preset, string loads)
    {
        var model = SmallScenarios.Build(SmallScenarios.OneCpuFullQueue, preset, loads);
        var outcome = StateSpaceSearch.Search(model, model.CreateComponents(untimed: true),
            model.NewExecution(new Model.Sim.SearchStrategy(), false, false), SearchLimits.For(model), null, CancellationToken.None);
        Assert.True(outcome.Result.Exhausted, outcome.Result.IncompleteReason);
        Assert.True(outcome.Result.CycleBreakers > 0, "the cycle proviso expanded nothing again: the test checks nothing");
        var edges = outcome.Graph.Edges.ToArray();
        Assert.Equal(edges.Length, edges.Select(e => (e.From, e.Pick)).Distinct().Count());
    }
}
