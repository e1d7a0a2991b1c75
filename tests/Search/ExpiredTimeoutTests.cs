using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// A timeout fires only when nothing else can happen, and then every other pending timeout is due too. The search held
/// those back until nothing else could happen again, so the thread the first timeout freed always finished its way out
/// first; random runs keep time and let the second fire in between. A sweep of drawn workloads found a kind only random
/// runs reached that way (<see cref="SmallScenarios.StraySlotWhileSuspending"/>). A due timeout now fires at any later step.
/// </summary>
[Trait("Suite", "Search")]
public sealed class ExpiredTimeoutTests
{
    [Fact]
    public void A_second_timeout_may_fire_while_the_thread_the_first_freed_is_on_its_way_out()
    {
        var model = SmallScenarios.Build(SmallScenarios.StraySlotWhileSuspending, "no-reset-invalidate");
        var search = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, workers: 2);
        Assert.True(search.Exhausted, search.IncompleteReason);
        var kinds = search.Result.ViolationsByKind.Keys.ToHashSet();
        Assert.Contains(ViolationKind.QueueInvariant, kinds);
        Assert.Superset(RandomBatch.Run(model, 7, 0, 20000).ViolationsByKind.Keys.ToHashSet(), kinds);

        // Its witness: cpu1's CMD_SYNC times out, and the quiesce's timeout fires before cpu1's cons reaches llq.
        var witness = search.Result.Witnesses[ViolationKind.QueueInvariant];
        var replay = UntimedReplay.Run(model, witness.Choices, probe: false, recordTrace: true, recordChoices: false);
        var timedOut = replay.Trace!.Entries.Where(e => e.Events.Any(v => v.Kind() is EventKind.SyncTimeout or EventKind.DrainTimeout)).Select(e => e.Step).ToList();
        Assert.Equal(2, timedOut.Count);
        Assert.Contains(replay.Trace.Entries, e => e.Step > timedOut[1] && e.Message is { Src: Layout.FirstThread + 1, Kind: MessageKind.StoreCons });
        Assert.Contains(replay.Violations, v => v.Kind == ViolationKind.QueueInvariant);
    }

    /// <summary>
    /// A due timeout may fire while its thread's wait can still be answered, by a step of any other thread. So it is never a
    /// thread's step to take alone, and no closure of resources leaves it out (the thread would run outside the set): a
    /// state with one explores every delivery, unless another thread's step may go alone (it touches only that thread).
    /// </summary>
    [Fact]
    public void A_due_timeout_is_never_left_out_of_a_reduced_set()
    {
        var model = SmallScenarios.Build(SmallScenarios.StraySlotWhileSuspending, "no-reset-invalidate");
        var reduction = new Reduction(model);
        var random = new Random(3);
        var (enabled, into) = (new List<int>(), new List<int>());
        int full = 0, threadSteps = 0;
        for (int walk = 0; walk < 3000; walk++)
            Scenarios.Walk(model, (_, n) => random.Next(n), (components, r) =>
            {
                if (r.Fabric.Enabled(enabled) < 2 || !enabled.Any(i => r.Fabric.Peek(i).Class == DelayClass.Expired)) return;
                var kind = reduction.Choose(r.Fabric, components, enabled, into);
                if (kind == Reduction.Kind.Full)
                {
                    Assert.Equal(enabled.Count, into.Count);
                    full++;
                    return;
                }
                Assert.Equal(Reduction.Kind.ThreadStep, kind);
                var step = r.Fabric.Peek(enabled[Assert.Single(into)]);
                Assert.NotEqual(DelayClass.Expired, step.Class);
                threadSteps++;
            });
        Assert.True(full > 20 && threadSteps > 5, $"met {full} states explored in full and {threadSteps} with a thread's step alone");
    }

    [Fact]
    public void The_reduced_search_finds_what_the_full_search_does_after_a_timeout()
    {
        var model = SmallScenarios.Build(SmallScenarios.StraySlotWhileSuspending, "no-reset-invalidate");
        var reduced = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None);
        var full = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, reduce: false);
        Assert.True(reduced.Exhausted && full.Exhausted);
        Assert.Equal(full.Result.ViolationsByKind.Keys.ToHashSet(), reduced.Result.ViolationsByKind.Keys.ToHashSet());
        Assert.Equal(full.Result.Outcomes.Keys.ToHashSet(), reduced.Result.Outcomes.Keys.ToHashSet());
    }
}
