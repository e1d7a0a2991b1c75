using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Support;

/// <summary>What each recorded choice of a timed run decided: a delay (and its message's class), a tie, or a start offset (and the thread's offsets).</summary>
public static class ChoiceSlots
{
    public readonly record struct Slot(string Kind, DelayClass Class, IReadOnlyList<long>? Menu = null);

    /// <summary>The slots of <paramref name="choices"/>, read by replaying them on <paramref name="model"/>.</summary>
    public static IReadOnlyList<Slot> Of(ScenarioModel model, IReadOnlyList<long> choices)
    {
        var noting = new Noting(new ReplayStrategy(choices, model.Workload.Delays));
        LocalEngine.Run(model, noting);
        return noting.Slots;
    }

    /// <summary>
    /// <paramref name="choices"/> up to the one at <paramref name="index"/>, set to <paramref name="value"/>: an edited choice
    /// changes the run, so the choices after it need not fit it; past its end a replay takes the base choice of each.
    /// </summary>
    public static List<long> EditedPrefix(IReadOnlyList<long> choices, int index, long value) => [.. choices.Take(index), value];

    sealed class Noting(ReplayStrategy inner) : IStrategy
    {
        public readonly List<Slot> Slots = [];

        public long Delay(in Message m, DelayClass cls)
        {
            Slots.Add(new("delay", cls));
            return inner.Delay(m, cls);
        }

        public int Tie(int count)
        {
            Slots.Add(new("tie", default));
            return inner.Tie(count);
        }

        public long Start(int thread, IReadOnlyList<long> menu)
        {
            Slots.Add(new("start", default, menu));
            return inner.Start(thread, menu);
        }

        public void Hash(ref StateHasher h) { }
    }
}
