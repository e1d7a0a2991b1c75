using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>Many executions of one scenario on the local engine: seeded random runs, or every execution the rules allow.</summary>
public static class Explorer
{
    /// <summary>The most runs a random campaign takes: years of this machine's time, far from overflowing a count.</summary>
    public const long MaxRuns = 1_000_000_000_000;

    /// <summary>
    /// Random runs split into batches over <paramref name="parallelism"/> threads; results merge deterministically.
    /// Cancelled, it returns every run finished so far, the batches under way included, but for the runs the stop cut short
    /// (a run under way, or a witness being recorded again).
    /// </summary>
    public static BatchResult Random(ScenarioModel model, ulong seed, long runs, int parallelism, IProgress<ExploreProgress>? progress, CancellationToken cancel) =>
        Random(runs, parallelism, progress, (from, to) => RandomBatch.Run(model, seed, from, to, cancel, partialOnStop: true), cancel);

    /// <summary>The same over <paramref name="runBatch"/>, which runs [from, to) of the campaign.</summary>
    internal static BatchResult Random(long runs, int parallelism, IProgress<ExploreProgress>? progress, Func<long, long, BatchResult> runBatch,
        CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(runs, MaxRuns);
        const long batch = 2000;
        long batches = (runs + batch - 1) / batch;
        var total = new BatchResult();
        long done = 0, violations = 0, next = -1;
        bool failed = false;
        var gate = new object();
        // Workers on threads of their own, not the pool's: a campaign holds them for seconds, and a silo in this process
        // (bench runs the engines side by side) serves its timers and sockets from the pool, which grows only after stalls.
        var workers = Enumerable.Range(0, Math.Max(1, parallelism))
            .Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        try { Task.WaitAll(workers); }
        // A worker's fault (a ModelFaultException naming its run) rather than the wrapper Task.WaitAll puts round it.
        catch (AggregateException e) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]); }
        return total;

        void Work()
        {
            try
            {
                for (long b; !Volatile.Read(ref failed) && !cancel.IsCancellationRequested && (b = Interlocked.Increment(ref next)) < batches;)
                {
                    long from = b * batch, to = Math.Min(runs, from + batch);
                    var r = runBatch(from, to);
                    lock (gate)
                    {
                        total.Merge(r);
                        done += r.Runs;
                        violations += r.ViolationsByKind.Values.Sum();
                        progress?.Report(new ExploreProgress(done, runs, violations, total.Steps));
                    }
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                // A batch that throws on a stop is dropped whole; those merged stand (this process's batches return what they ran).
            }
            catch
            {
                Volatile.Write(ref failed, true);
                throw;
            }
        }
    }

    /// <summary>
    /// Every execution the ordering rules allow (see <see cref="StateSpaceSearch"/>); each up to its first violation if
    /// <paramref name="firstViolation"/>; the whole search only to the first violation it meets if <paramref name="stopAtFirst"/>.
    /// </summary>
    public static ExhaustiveResult Exhaustive(ScenarioModel model, IProgress<ExploreProgress>? progress, CancellationToken cancel, TimeSpan? timeout = null,
        bool reduce = true, bool firstViolation = false, int workers = 1, bool stopAtFirst = false) =>
        StateSpaceSearch.Explore(model, SearchLimits.For(model, timeout, firstViolation, stopAtFirst), progress, cancel, reduce, workers);

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
        ProtocolBranch.UnknownRegisterRead => "CPU read of an SMMU register whose value no fact gives",
        _ => b.ToString(),
    };
}
