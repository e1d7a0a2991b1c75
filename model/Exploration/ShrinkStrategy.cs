using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>What a recorded choice decided, and the value that means "nothing injected" for it.</summary>
public readonly record struct ChoiceSlot(ChoiceKind Kind, long Base);

public enum ChoiceKind : byte { Delay, Tie, Start }

/// <summary>
/// A forgiving replay for shrinking: once a candidate changes a choice or drops an operation the
/// rest of the list may no longer fit the run, so an impossible value falls back to the base
/// choice instead of failing. It notes what each choice was, so the shrinker knows which values are
/// injected delays. The run's own recorded choices (what was actually taken) are what a shrunk
/// counterexample saves, and those replay exactly under <see cref="ReplayStrategy"/>.
/// </summary>
public sealed class ShrinkStrategy(IReadOnlyList<long> choices, DelaySpec delays) : IStrategy
{
    readonly List<ChoiceSlot> _slots = new();
    int _next;

    public IReadOnlyList<ChoiceSlot> Slots => _slots;

    long Take(ChoiceKind kind, long fallback)
    {
        _slots.Add(new ChoiceSlot(kind, fallback));
        return _next < choices.Count ? choices[_next++] : fallback;
    }

    public long Delay(in Message m, DelayClass cls) => Take(ChoiceKind.Delay, delays.Min) is var v && delays.Allows(cls, v) ? v : delays.Min;

    public int Tie(int count) => Take(ChoiceKind.Tie, 0) is var v && v >= 0 && v < count ? (int)v : 0;

    public long Start(int thread, IReadOnlyList<long> menu) => Take(ChoiceKind.Start, menu[0]) is var v && menu.Contains(v) ? v : menu[0];

    public void Hash(ref StateHasher h) { }
}
