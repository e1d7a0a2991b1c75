using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>Many executions of one scenario on the local engine: seeded random runs, or the whole bounded space.</summary>
public static class Explorer
{
    /// <summary>Random runs split into batches over <paramref name="parallelism"/> threads; results merge deterministically.</summary>
    public static BatchResult Random(ScenarioModel model, ulong seed, long runs, int parallelism, IProgress<ExploreProgress>? progress, CancellationToken cancel)
    {
        const long batch = 2000;
        long batches = (runs + batch - 1) / batch;
        var total = new BatchResult();
        long done = 0, violations = 0;
        var gate = new object();
        Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancel }, b =>
        {
            long from = b * batch, to = Math.Min(runs, from + batch);
            var r = RandomBatch.Run(model, seed, from, to, cancel);
            lock (gate)
            {
                total.Merge(r);
                done += r.Runs;
                violations += r.ViolationsByKind.Values.Sum();
                progress?.Report(new ExploreProgress(done, runs, violations, total.Steps));
            }
        });
        return total;
    }

    /// <summary>
    /// Depth-first search of every choice sequence within the bounds, pruning a run when it reaches
    /// a state (components, messages in flight, remaining budget, oracle) seen before.
    /// </summary>
    public static ExhaustiveResult Exhaustive(ScenarioModel model, long maxRuns, IProgress<ExploreProgress>? progress, CancellationToken cancel)
    {
        var strategy = new ExhaustiveStrategy(model.Workload.Delays);
        var pruner = new VisitedStates(strategy);
        var total = new BatchResult();
        long run = 0;
        bool more;
        do
        {
            cancel.ThrowIfCancellationRequested();
            var r = LocalEngine.Run(model, strategy, recordChoices: true, pruner: pruner);
            total.Add(run, r);
            run++;
            if (run % 1000 == 0) progress?.Report(new ExploreProgress(run, 0, total.ViolationsByKind.Values.Sum(), pruner.Count));
            more = strategy.Advance();
        } while (more && pruner.Count < model.Workload.Bounds.MaxStates && (maxRuns <= 0 || run < maxRuns));
        progress?.Report(new ExploreProgress(run, run, total.ViolationsByKind.Values.Sum(), pruner.Count));
        return new ExhaustiveResult(total, pruner.Count, !more && total.Truncated == 0);
    }

    sealed class VisitedStates(ExhaustiveStrategy strategy) : IPruner
    {
        readonly HashSet<(ulong, ulong)> _seen = new();
        public long Count => _seen.Count;

        public bool Prune(IComponent[] components, Execution run) =>
            !strategy.InPrefix && !_seen.Add(RunLoop.StateHash(components, run));
    }

    public static IEnumerable<string> Branches(ulong coverage, bool reached) =>
        Enum.GetValues<ProtocolBranch>().Where(b => ((coverage >> (int)b) & 1) == (reached ? 1UL : 0UL)).Select(BranchName);

    public static string BranchName(ProtocolBranch b) => b switch
    {
        ProtocolBranch.Elide => "elide",
        ProtocolBranch.Recheck => "re-check",
        ProtocolBranch.ReserveRetry => "reserve retry",
        ProtocolBranch.Owner => "owner",
        ProtocolBranch.NonOwner => "non-owner",
        ProtocolBranch.QueueWrap => "queue wrap",
        ProtocolBranch.FullQueueWait => "full-queue wait",
        ProtocolBranch.ExclusiveRefresh => "exclusive-lock refresh",
        ProtocolBranch.DrainFinished => "drain finished",
        ProtocolBranch.ResumeInvalidation => "resume invalidation",
        ProtocolBranch.SpeculativeFill => "speculative fill",
        ProtocolBranch.EarlyElide => "early elide",
        ProtocolBranch.SharedLockWait => "shared-lock wait",
        ProtocolBranch.FullQueueTimeout => "full-queue poll timeout (CMDQ timeout)",
        _ => b.ToString(),
    };
}
