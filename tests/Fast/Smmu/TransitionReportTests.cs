using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Smmu;

/// <summary>
/// The search's oracle reports a kind on every transition that shows it, a random run's once per run; and of two
/// equally short witnesses the first in pick order is kept, whichever came first. Both make what a search prints the
/// same in every order it could reach its states in (docs/model.md, "Nothing of the result depends on the order").
/// </summary>
[Trait("Suite", "Fast")]
public sealed class TransitionReportTests
{
    const byte Cpu0 = Layout.FirstThread, Pm = Layout.FirstThread + 1;

    static Message Llq(byte src, MessageKind kind, long a, long b = 0) =>
        new() { Src = src, Dst = Layout.MemoryActor, Kind = kind, Loc = Layout.Llq, A = a, B = b };

    /// <summary>Two CASes that each drop STOP while suspended: two stop-lost transitions.</summary>
    static IReadOnlyList<Violation> TwoStopsLost(Oracle fresh)
    {
        var o = (Oracle)fresh.Clone();
        o.Observe(Llq(Pm, MessageKind.FetchOr, ProdWord.Stop), [], 1, 1);
        o.Observe(Llq(Cpu0, MessageKind.Cas, ProdWord.Stop, 2), [], 2, 2);
        o.Observe(Llq(Pm, MessageKind.FetchOr, ProdWord.Stop), [], 3, 3);
        o.Observe(Llq(Cpu0, MessageKind.Cas, ProdWord.Stop | 2, 4), [], 4, 4);
        return o.Violations;
    }

    [Fact]
    public void A_search_oracle_reports_a_kind_on_every_transition_that_shows_it()
    {
        var model = Scenarios.Shipped("reviewer-race.json");
        var search = TwoStopsLost(model.CreateOracle(judgeTimeouts: false, eachTransition: true));
        Assert.Equal([2L, 4L], search.Select(v => v.Step));
        Assert.All(search, v => Assert.Equal(ViolationKind.StopLost, v.Kind));
        var run = TwoStopsLost(model.CreateOracle(judgeTimeouts: false));
        Assert.Equal(2, Assert.Single(run).Step);
    }

    [Fact]
    public void The_searchs_own_execution_reports_on_every_transition()
    {
        var model = Scenarios.Shipped("reviewer-race.json");
        Assert.Equal(2, TwoStopsLost((Oracle)model.NewSearchExecution().Invariants).Count);
    }

    [Fact]
    public void Of_equally_short_witnesses_the_first_in_pick_order_is_kept_whichever_came_first()
    {
        long[] early = [0, 2, 1], late = [1, 0, 0];
        var one = new BatchResult();
        var other = new BatchResult();
        var final = new RunResult("", 0, 0, [new Violation(ViolationKind.LostCommand, 0, 0, "")], 0, "", null, null, false, false);
        one.Add(5, final, early);
        one.Add(5, final, late);
        other.Add(5, final, late);
        other.Add(5, final, early);
        Assert.Equal(early, one.Witnesses[ViolationKind.LostCommand].Choices);
        Assert.Equal(early, other.Witnesses[ViolationKind.LostCommand].Choices);
        Assert.True(one.SameAs(other));
        other.Add(4, final, late);
        Assert.Equal(late, other.Witnesses[ViolationKind.LostCommand].Choices);
    }

    [Fact]
    public void Merged_results_keep_the_same_witness_in_either_order()
    {
        var final = new RunResult("", 0, 0, [new Violation(ViolationKind.Deadlock, 0, 0, "")], 0, "", null, null, false, false);
        var a = new BatchResult();
        a.Add(3, final, [1, 1]);
        var b = new BatchResult();
        b.Add(3, final, [0, 5]);
        var ab = new BatchResult();
        ab.Merge(a);
        ab.Merge(b);
        var ba = new BatchResult();
        ba.Merge(b);
        ba.Merge(a);
        Assert.Equal([0L, 5L], ab.Witnesses[ViolationKind.Deadlock].Choices);
        Assert.True(ab.SameAs(ba));
    }
}
