using System.Diagnostics;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// The partitioned exhaustive search run in this process, one partition after another on one thread: the same
/// partitions and coordinator logic the grains run across silos, without the wire, so what partitioning does to
/// the result (nothing: the same states and verdicts as <see cref="StateSpaceSearch"/>) and what it costs (replay,
/// batches, reports) are measured apart from the cluster.
/// </summary>
public static class PartitionedSearch
{
    /// <summary>States a partition expands before its batches go out.</summary>
    public const int Round = 4096;

    public sealed record Outcome(ExhaustiveResult Result, long Replayed, long Entries, long BatchBytes, long ReportBytes);

    public static Outcome Explore(ScenarioModel model, int partitions, SearchLimits limits, IProgress<ExploreProgress>? progress, CancellationToken cancel)
    {
        var parts = Enumerable.Range(0, partitions).Select(i => new SearchPartition(model, i, partitions, limits.MaxDepth, limits.FirstViolation)).ToArray();
        var graph = new PartitionedGraph(model, partitions);
        var leave = new StateAllowance(limits.MaxStates, partitions);
        var clock = Stopwatch.StartNew();
        long batchBytes = 0;
        string? stopped = null;
        while (true)
        {
            while (stopped is null && parts.Any(p => p.HasInbound || p.HasWork))
            {
                if (cancel.IsCancellationRequested) { stopped = SearchLimits.Cancelled; break; }
                if (limits.Timeout is { } t && clock.Elapsed > t) { stopped = limits.TimeoutReason; break; }
                foreach (var p in parts)
                {
                    p.Work(leave.Grant, Round);
                    foreach (var (dest, batch, _) in p.TakeBatches())
                    {
                        if (dest != p.Index) batchBytes += batch.Length;
                        parts[dest].Enqueue(batch);
                    }
                    graph.Add(p.TakeDelta());
                }
                progress?.Report(new ExploreProgress(graph.States, 0, graph.ViolationsSoFar, graph.States));
            }
            foreach (var p in parts) graph.Add(p.TakeDelta());
            if (stopped is not null || graph.CutAtStates || graph.CutAtDepth) break;
            // Quiescent: the cycle proviso's states go back to their owners, until there are none.
            var breakers = graph.CycleBreakers();
            if (breakers.All(b => b.Length == 0)) break;
            foreach (var p in parts) p.Revisit(breakers[p.Index]);
        }
        return new Outcome(graph.Conclude(limits, stopped), parts.Sum(p => p.Replayed), parts.Sum(p => p.EntriesSent), batchBytes, graph.Bytes);
    }
}

/// <summary>
/// The coordinator's share-out of the maxStates bound: partitions ask for leave to admit states in chunks (each ask is
/// a call to the coordinator), smaller as the bound nears so that little is left unused in one partition while another
/// is refused; 0 once it is all given. The initial state needs none.
/// </summary>
public sealed class StateAllowance(long maxStates, int partitions)
{
    const long Chunk = 1 << 16;

    long _left = maxStates - 1;

    public long Grant()
    {
        long n = Math.Min(_left, Math.Clamp(_left / (4L * partitions), 1, Chunk));
        _left -= n;
        return n;
    }
}
