using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// Rebuilds search states from their paths (the partitioned search's work items): the picks among the enabled
/// messages wherever more than one was enabled, as <see cref="StateGraph.PathTo"/> records them, and the number of
/// deliveries. It keeps the state after every delivery of the last path walked, so a path that shares a prefix
/// with it is replayed only past that prefix: paths visited in lexicographic order replay each shared delivery
/// once. The deliveries are the search's own (<see cref="StateSpaceSearch.Step"/>, copy on write), so the states
/// kept are never changed and the state reached is exactly the one the search found.
/// </summary>
sealed class PrefixWalker
{
    readonly List<(IComponent[] C, (ulong, ulong)[] H, Execution R, int Picks)> _states = [];
    readonly List<byte> _picks = [];
    readonly List<int> _enabled = new(8);
    readonly Outbox _outbox = new();
    readonly byte[] _waits;

    public PrefixWalker(ScenarioModel model)
    {
        var components = model.CreateComponents(untimed: true);
        var hashes = components.Select(RunLoop.ComponentHash).ToArray();
        _states.Add((components, hashes, model.NewExecution(new SearchStrategy(), false, false), 0));
        _waits = new byte[model.Workload.Threads.Count];
    }

    /// <summary>The initial state, with each component's hash.</summary>
    public (IComponent[] C, (ulong, ulong)[] H, Execution R) Root => (_states[0].C, _states[0].H, _states[0].R);

    /// <summary>Deliveries made since this walker was made: the cost of replay.</summary>
    public long Replayed { get; private set; }

    /// <summary>The state <paramref name="steps"/> deliveries down the path of <paramref name="picks"/>; the caller must not change it.</summary>
    public (IComponent[] C, (ulong, ulong)[] H, Execution R) Walk(ReadOnlySpan<byte> picks, int steps)
    {
        int common = 0;
        while (common < picks.Length && common < _picks.Count && picks[common] == _picks[common]) common++;
        // The deepest kept state that both paths pass: it used only picks they share, and it is not past this path's end.
        int t = Math.Min(steps, _states.Count - 1);
        while (_states[t].Picks > common) t--;
        _states.RemoveRange(t + 1, _states.Count - t - 1);
        _picks.RemoveRange(_states[t].Picks, _picks.Count - _states[t].Picks);
        while (t < steps)
        {
            var (c, h, r, used) = _states[t];
            int n = r.Fabric.Enabled(_enabled);
            if (n == 0) throw new InvalidOperationException($"path replay: nothing is enabled after {t} of {steps} deliveries");
            int k = 0;
            if (n > 1)
            {
                k = picks[used];
                if (k >= n) throw new InvalidOperationException($"path replay: pick {k} of {n} enabled messages after {t} deliveries");
                _picks.Add((byte)k);
            }
            StateSpaceSearch.Waits(c, _waits);
            var next = StateSpaceSearch.Step(c, h, r, _enabled[k], reuse: false, _waits, _outbox);
            _states.Add((next.C, next.H, next.R, _picks.Count));
            Replayed++;
            t++;
        }
        var (sc, sh, sr, _) = _states[steps];
        return (sc, sh, sr);
    }
}
