using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// A shrunk witness: the (possibly smaller) scenario, the choices that drive it, the shrink's run of them (choices
/// recorded), and what shrinking removed.
/// <see cref="CutShort"/>: shrinking was stopped before it finished; this is the smallest run found until then.
/// </summary>
public sealed record ShrinkResult(
    ScenarioModel Model,
    IReadOnlyList<long> Choices,
    RunResult Run,
    long StepsBefore,
    long Steps,
    int DelaysBefore,
    int Delays,
    int OpsBefore,
    int Ops,
    int Replays,
    bool CutShort = false);

/// <summary>
/// Makes a violating run smaller while the same kind of violation still occurs: drops operations
/// from the threads' programs, cuts the choice list short (the rest take base choices), and resets
/// injected delays, tie picks and start offsets to their base. A candidate is kept only when it is
/// strictly smaller by (operations, injected delays, non-base choices, steps), so shrinking ends,
/// and it stops after a fixed number of replays so a long run cannot stall an exploration. Cancelled, it ends the
/// replay under way at its next step and returns the smallest violating run found so far; cancelled before its replay of
/// the witness itself ended, it throws <see cref="OperationCanceledException"/>, having no run to hand back.
/// </summary>
public static class Shrinker
{
    public const int DefaultBudget = 300;

    public static ShrinkResult Shrink(ScenarioModel model, IReadOnlyList<long> choices, ViolationKind kind, int budget = DefaultBudget,
        CancellationToken cancel = default)
    {
        var s = new Search(kind, budget, cancel);
        var best = s.Try(model, choices) ?? (s.CutShort
            ? throw new OperationCanceledException("shrinking was stopped before the witness was replayed", cancel)
            : throw new InvalidOperationException($"replaying the {Naming.Kebab(kind)} run did not reproduce it: the engine is not deterministic"));
        var first = best;
        bool progress = true;
        while (progress && s.Open)
        {
            progress = false;
            foreach (var pass in new Func<Candidate, Search, Candidate?>[] { DropOps, Truncate, ResetChoices })
                if (pass(best, s) is { } better) { best = better; progress = true; }
        }
        var shrunk = best.Model;
        if (best.Ops < first.Ops)
        {
            string note = $"(shrunk from {first.Ops} to {best.Ops} operations)";
            shrunk = new ScenarioModel(WorkloadLoader.Parse(WorkloadEdit.WithNote(shrunk.Workload.SourceText, note), shrunk.Workload.Name), shrunk.Variant);
        }
        return new ShrinkResult(shrunk, best.Choices, best.Result, first.Result.Steps, best.Result.Steps, first.Delays, best.Delays, first.Ops, best.Ops, budget - s.Left, s.CutShort);
    }

    /// <summary>Each operation, last first, removed while the violation survives.</summary>
    static Candidate? DropOps(Candidate best, Search s)
    {
        Candidate? improved = null;
        var threads = best.Model.Workload.Threads;
        for (int t = threads.Count - 1; t >= 0 && s.Open; t--)
            for (int i = best.Model.Workload.Threads[t].Program.Length - 1; i >= 0 && s.Open; i--)
            {
                Workload w;
                try { w = WorkloadLoader.Parse(WorkloadEdit.WithoutOp(best.Model.Workload.SourceText, t, i), best.Model.Workload.Name); }
                catch (WorkloadException) { continue; }
                if (s.Try(new ScenarioModel(w, best.Model.Variant), best.Choices) is { } c && c.IsSmallerThan(best))
                    best = improved = c;
            }
        return improved;
    }

    /// <summary>The shortest prefix of the choices (binary search) that still violates; past it every choice is the base one.</summary>
    static Candidate? Truncate(Candidate best, Search s)
    {
        Candidate? shortest = null;
        int lo = 0, hi = best.Choices.Count;
        while (lo < hi && s.Open)
        {
            int mid = (lo + hi) / 2;
            // A cut that changes nothing (the tail was base already) still counts: it lets the search go shorter.
            if (s.Try(best.Model, best.Choices.Take(mid).ToArray()) is { } c && !best.IsSmallerThan(c))
            {
                shortest = c;
                hi = mid;
            }
            else lo = mid + 1;
        }
        return shortest is not null && shortest.IsSmallerThan(best) ? shortest : null;
    }

    /// <summary>
    /// Non-base choices reset to base in chunks, halving the chunk size (delta debugging): all of
    /// them at once first, then halves, down to one at a time.
    /// </summary>
    static Candidate? ResetChoices(Candidate best, Search s)
    {
        Candidate? improved = null;
        for (int chunk = Math.Max(1, best.NonBase().Count); chunk >= 1 && s.Open; chunk /= 2)
        {
            var positions = best.NonBase();
            for (int from = 0; from < positions.Count && s.Open; from += chunk)
            {
                var candidate = best.Choices.ToArray();
                foreach (var p in positions.Skip(from).Take(chunk)) candidate[p] = best.Slots[p].Base;
                if (s.Try(best.Model, candidate) is { } c && c.IsSmallerThan(best))
                {
                    best = improved = c;
                    positions = best.NonBase();
                    from -= chunk;
                }
            }
        }
        return improved;
    }

    sealed record Candidate(ScenarioModel Model, IReadOnlyList<long> Choices, IReadOnlyList<ChoiceSlot> Slots, RunResult Result)
    {
        public int Ops { get; } = Model.Workload.Threads.Sum(t => t.Program.Length);
        public int Delays { get; } = Enumerable.Range(0, Choices.Count).Count(i => Slots[i].Kind == ChoiceKind.Delay && Choices[i] != Slots[i].Base);

        public List<int> NonBase() => Enumerable.Range(0, Choices.Count).Where(i => Choices[i] != Slots[i].Base).ToList();

        (int, int, int, long) Size => (Ops, Delays, NonBase().Count, Result.Steps);

        public bool IsSmallerThan(Candidate o) => Size.CompareTo(o.Size) < 0;
    }

    sealed class Search(ViolationKind kind, int budget, CancellationToken cancel)
    {
        /// <summary>Ends a replay at the stop: a witness of a long workload replays for seconds. Null when no stop can come.</summary>
        readonly EndWhenStopped? _ending = EndWhenStopped.For(cancel);

        public int Left { get; private set; } = budget;

        /// <summary>True once the stop cut a replay short, or a pass wanted another replay after it.</summary>
        public bool CutShort { get; private set; }

        /// <summary>Whether a pass may try another candidate: replays are left and nobody asked to stop.</summary>
        public bool Open
        {
            get
            {
                if (Left <= 0) return false;
                if (cancel.IsCancellationRequested) CutShort = true;
                return !CutShort;
            }
        }

        /// <summary>
        /// Replays a candidate; the run's own recorded choices become the candidate when the violation survives. A replay
        /// the stop cut short is no candidate, whatever it showed before the cut: its record ends there.
        /// </summary>
        public Candidate? Try(ScenarioModel model, IReadOnlyList<long> choices)
        {
            if (Left <= 0) return null;
            Left--;
            var strategy = new ShrinkStrategy(choices, model.Workload.Delays);
            var r = LocalEngine.Run(model, strategy, recordChoices: true, pruner: _ending);
            if (r.Pruned && cancel.IsCancellationRequested)
            {
                CutShort = true;
                return null;
            }
            // A run cut at maxSteps still counts when the violation happened: only end-of-run checks need an end,
            // and those are never reported for a cut run. (A witness can go on forever after it, e.g. an SMMU
            // chasing a PROD that no longer matches CONS.)
            return r.Violations.All(v => v.Kind != kind) ? null : new Candidate(model, r.Choices!, strategy.Slots, r);
        }
    }
}
