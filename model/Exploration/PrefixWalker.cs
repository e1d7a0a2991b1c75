using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// Rebuilds search states from their paths (the partitioned search's work items): the picks among the enabled
/// messages wherever more than one was enabled, as <see cref="StateGraph.PathTo"/> records them, and the number of
/// deliveries. It keeps states along the last path walked, so a path that shares a prefix with it is replayed only
/// past that prefix: paths visited in lexicographic order replay each shared delivery once. It keeps only the
/// states the next path can start from (told by the caller) and the one reached; the deliveries in between go in
/// place. The deliveries are the search's own (<see cref="StateExpansion.Step"/>, copy on write), so a kept state
/// is never changed and the state reached is exactly the one the search found.
/// </summary>
sealed class PrefixWalker
{
    // Each kept state with its deliveries and the bytes of the path that reach it (PickPath: a pick takes one or three).
    readonly List<(int Steps, int Bytes, IComponent[] C, (ulong, ulong)[] H, Execution R)> _kept = [];
    readonly List<byte> _picks = [];
    readonly List<int> _enabled = new(8);
    readonly Outbox _outbox = new();

    public PrefixWalker(ScenarioModel model) : this(model.CreateComponents(untimed: true), model.NewSearchExecution()) { }

    /// <summary>Paths from the state (<paramref name="components"/>, <paramref name="root"/>), which is kept unchanged.</summary>
    public PrefixWalker(IComponent[] components, Execution root) =>
        _kept.Add((0, 0, components, components.Select(RunLoop.ComponentHash).ToArray(), root));

    /// <summary>The initial state, with each component's hash.</summary>
    public (IComponent[] C, (ulong, ulong)[] H, Execution R) Root => (_kept[0].C, _kept[0].H, _kept[0].R);

    /// <summary>
    /// The order to walk paths in, each given by its bytes (<see cref="PickPath"/>) and its number of deliveries:
    /// lexicographic by byte, then the shorter first, so every path shares the longest prefix there is with the one walked
    /// before it.
    /// </summary>
    public static int Order(ReadOnlySpan<byte> picks, int steps, ReadOnlySpan<byte> otherPicks, int otherSteps) =>
        picks.SequenceCompareTo(otherPicks) is var c && c != 0 ? c : steps.CompareTo(otherSteps);

    /// <summary>Deliveries made since this walker was made: the cost of replay.</summary>
    public long Replayed { get; private set; }

    /// <summary>
    /// The state <paramref name="steps"/> deliveries down the path of <paramref name="picks"/>; the caller must not change
    /// it. The next path walked will share <paramref name="shared"/> bytes with this one: states past them are not kept.
    /// </summary>
    public (IComponent[] C, (ulong, ulong)[] H, Execution R) Walk(ReadOnlySpan<byte> picks, int steps, int shared)
    {
        int common = 0;
        while (common < picks.Length && common < _picks.Count && picks[common] == _picks[common]) common++;
        // The deepest kept state that both paths pass: it used only picks they share, and it is not past this path's end.
        int at = _kept.Count - 1;
        while (_kept[at].Bytes > common || _kept[at].Steps > steps) at--;
        _kept.RemoveRange(at + 1, _kept.Count - at - 1);
        var (t, used, c, h, r) = _kept[at];
        _picks.RemoveRange(used, _picks.Count - used);
        bool own = false;
        while (t < steps)
        {
            int n = r.Fabric.Enabled(_enabled);
            if (n == 0) throw new InvalidOperationException($"path replay: nothing is enabled after {t} of {steps} deliveries");
            int k = 0;
            if (n > 1)
            {
                int from = used;
                k = PickPath.Read(picks, ref used);
                if (k >= n) throw new InvalidOperationException($"path replay: pick {k} of {n} enabled messages after {t} deliveries");
                for (int b = from; b < used; b++) _picks.Add(picks[b]);
            }
            if (!own) (c, h, r) = (ArrayCopy.Of(c), ArrayCopy.Of(h), r.Clone());
            StateExpansion.Step(c, h, r, _enabled[k], _outbox);
            Replayed++;
            t++;
            own = t < steps && used > shared;
            if (!own) _kept.Add((t, used, c, h, r));
        }
        return (c, h, r);
    }
}
