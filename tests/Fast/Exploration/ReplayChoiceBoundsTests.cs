using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Exploration;

/// <summary>
/// A replayed choice list holds only what a random run of its workload could draw: each delay within the workload's
/// delays, each start offset one of the thread's. A counterexample edited past them was run, and with its trace hash
/// edited to match, printed VIOLATED for a run the workload does not have (a delay of 250 where the workload's longest is
/// 200, or of 0 or -5, a message delivered no later than it was sent). A reply's delay may be as long as any message's:
/// a shrink before 2026-12-08 could move a long delay onto one, and a slow reply is a stall any run may have.
/// </summary>
[Trait("Suite", "Fast")]
public class ReplayChoiceBoundsTests
{
    static readonly ScenarioModel Model = Scenarios.Shipped("reviewer-race.json");

    static RunResult Replay(IReadOnlyList<long> choices) => LocalEngine.Run(Model, new ReplayStrategy(choices, Model.Workload.Delays));

    [Fact]
    public void Every_delay_and_start_offset_at_the_edge_of_the_workloads_replays_and_one_past_it_is_refused()
    {
        var run = Scenarios.Random(Model, 3, trace: true);
        var choices = run.Choices!;
        var slots = ChoiceSlots.Of(Model, choices);
        var delays = Model.Workload.Delays;
        Assert.True(delays.LongProbability > 0 && delays.LongMax > delays.Max, "the workload draws long delays");
        int longSlot = Index(slots, s => s.Kind == "delay" && DelaySpec.MayBeLong(s.Class));
        int shortSlot = Index(slots, s => s.Kind == "delay" && !DelaySpec.MayBeLong(s.Class));
        int startSlot = Index(slots, s => s.Kind == "start" && s.Menu!.Count > 1);

        foreach (int slot in (int[])[longSlot, shortSlot])
        foreach (long ok in (long[])[delays.Min, delays.Max, delays.LongMax])
            Replay(ChoiceSlots.EditedPrefix(choices, slot, ok));
        var menu = slots[startSlot].Menu!;
        Replay(ChoiceSlots.EditedPrefix(choices, startSlot, menu[^1]));

        Refused(longSlot, delays.LongMax + 1, $"choice {longSlot}: delay {delays.LongMax + 1} is outside the workload's delays, [{delays.Min}, {delays.LongMax}]");
        Refused(longSlot, 0, $"choice {longSlot}: delay 0 is outside");
        Refused(longSlot, -5, $"choice {longSlot}: delay -5 is outside");
        Refused(shortSlot, delays.LongMax + 1, $"choice {shortSlot}: delay {delays.LongMax + 1} is outside");
        Refused(shortSlot, 0, $"choice {shortSlot}: delay 0 is outside");
        Refused(startSlot, menu.Max() + 1, $"choice {startSlot}: start offset {menu.Max() + 1} is not one of the thread's");

        void Refused(int slot, long value, string message) =>
            Assert.StartsWith(message, Assert.Throws<ReplayMismatchException>(() => Replay(ChoiceSlots.EditedPrefix(choices, slot, value))).Message);
    }

    /// <summary>
    /// A shrink that drops an operation shifts the choices after it, so a tie's 0 or a long delay can land in another
    /// message's delay: it takes the workload's shortest delay there instead, so that every shrunk counterexample replays.
    /// </summary>
    [Fact]
    public void A_shrink_takes_the_shortest_delay_where_a_moved_choice_falls_outside_the_workloads()
    {
        var delays = Model.Workload.Delays;
        var shrink = new ShrinkStrategy([0, delays.LongMax, delays.LongMax, delays.Max], delays);
        Assert.Equal(delays.Min, shrink.Delay(default, DelayClass.Posted));
        Assert.Equal(delays.Min, shrink.Delay(default, DelayClass.Reply));
        Assert.Equal(delays.LongMax, shrink.Delay(default, DelayClass.DeviceRead));
        Assert.Equal(delays.Max, shrink.Delay(default, DelayClass.Execution));
    }

    [Fact]
    public void Without_long_delays_every_class_keeps_to_min_and_max()
    {
        var delays = Model.Workload.Delays with { LongProbability = 0 };
        Assert.Equal((delays.Min, delays.Max), delays.Bounds(DelayClass.Posted));
        Assert.False(delays.Allows(DelayClass.Request, delays.Max + 1));
        Assert.Equal((delays.Min, delays.Max), delays.Replayable);
    }

    static int Index(IReadOnlyList<ChoiceSlots.Slot> slots, Func<ChoiceSlots.Slot, bool> which)
    {
        for (int i = 0; i < slots.Count; i++) if (which(slots[i])) return i;
        throw new InvalidOperationException("the run has no such choice");
    }
}
