using SmmuActors.Reports;
using SmmuActors.Client.Rendering;
using System.Diagnostics;
using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Grains.Placement;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using Spectre.Console;

namespace SmmuActors.Client.Commands;

/// <summary>
/// `bench-cluster --search`: the exhaustive search on the local engine in this process (one worker, then one per core), the partitioned
/// search in this process (the same partitions, one thread, no wire: what partitioning itself costs per state), and
/// the distributed search on local clusters of 1, 2, 3... silo processes: states/s and its ratio to the local engine,
/// the silos' CPU seconds, and per state the batches, successors and bytes sent between partitions, the bytes reported
/// to the coordinator and the deliveries replayed to rebuild states. Each measured search is the second of its kind
/// in its process, after one that lets the JIT settle; each cluster's result is compared with the local search's.
/// </summary>
static class SearchBench
{
    public sealed record Figure(string Where, int Silos, int Partitions, long States, double Seconds, double StatesPerSecond, double RatioToLocal,
        double CpuSeconds, double StatesPerCpuSecond, double BatchesPerState, double SuccessorsSentPerState, double BatchBytesPerState,
        double ReportBytesPerState, double ReplayedPerState, int Restarts, Dictionary<string, long> StatesBySilo, bool SameResult);

    public static async Task<int> RunAsync(ScenarioModel model, ScenarioSpec spec, int[] sizes, int partitions, string? json, CancellationToken cancel)
    {
        var limits = SearchLimits.For(model);
        var figures = new List<Figure>();
        var (local, localFigure) = Local(model, limits, 1, null, cancel);
        figures.Add(localFigure);
        Report(localFigure);
        if (StateSpaceSearch.DefaultWorkers > 1)
        {
            var (_, f) = Local(model, limits, StateSpaceSearch.DefaultWorkers, (local, localFigure.StatesPerSecond), cancel);
            figures.Add(f);
            Report(f);
        }
        // As many partitions as the cluster of that size on this machine will have.
        foreach (int p in sizes.Select(s => partitions > 0 ? partitions : ClusterWorkers.For(Enumerable.Repeat(Environment.MachineName, s), Environment.ProcessorCount)).Distinct())
        {
            var f = InProcess(model, limits, p, local, localFigure.StatesPerSecond, cancel);
            figures.Add(f);
            Report(f);
        }
        string? cancelled = null;
        foreach (int size in sizes)
        {
            Figure f;
            // Ctrl+C keeps what was measured: the table of the searches done, then INCOMPLETE.
            try { f = await BenchClusterCommand.OnClusterAsync(size, (connection, processes) => Cluster(connection, processes, spec, partitions, local, localFigure.StatesPerSecond, cancel), cancel); }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                cancelled = $"cancelled during the search on {Plural.Count(size, "silo process", "silo processes")}";
                break;
            }
            figures.Add(f);
            Report(f);
        }
        var t = new Table().Title($"exhaustive search of {model.Workload.Name} under {model.Variant.Preset}: {local.States:N0} states ({Plural.Count(Environment.ProcessorCount, "core")})")
            .AddColumns("where", "partitions", "seconds", "states/s", "ratio to local", "CPU s", "states/CPU s", "batches/state", "sent/state",
                "batch bytes/state", "report bytes/state", "replayed/state", "same as local");
        foreach (var f in figures)
            t.AddRow(f.Where, f.Partitions.ToString(), f.Seconds.ToString("F2"), f.StatesPerSecond.ToString("N0"), f.RatioToLocal.ToString("F2"), f.CpuSeconds.ToString("F1"),
                f.StatesPerCpuSecond.ToString("N0"), f.BatchesPerState.ToString("F4"), f.SuccessorsSentPerState.ToString("F2"), f.BatchBytesPerState.ToString("F1"),
                f.ReportBytesPerState.ToString("F1"), f.ReplayedPerState.ToString("F2"), f.SameResult ? "yes" : "NO");
        AnsiConsole.Write(t);
        if (cancelled is not null) AnsiConsole.MarkupLineInterpolated($"[yellow]INCOMPLETE: {cancelled}[/]");
        JsonOut.Write(json, new { workload = model.Workload.Name, variant = model.Variant.Preset, states = local.States, cores = Environment.ProcessorCount, figures,
            incompleteReason = cancelled });
        return !figures.All(f => f.SameResult) ? 1 : cancelled is not null ? Cli.Incomplete : 0;
    }

    static void Report(Figure f) =>
        AnsiConsole.MarkupLineInterpolated($"{f.Where}: {f.StatesPerSecond:N0} states/s ({f.RatioToLocal:F2} × local), {f.StatesPerCpuSecond:N0} states per CPU second");

    /// <summary>
    /// The local search on <paramref name="workers"/> threads, second of its kind in this process, rated against
    /// <paramref name="baseline"/> (the one-worker search: its result and rate) when given; on a worker per core it is
    /// what the cluster's partitions are to beat here.
    /// </summary>
    static (ExhaustiveResult, Figure) Local(ScenarioModel model, SearchLimits limits, int workers, (ExhaustiveResult Result, double Rate)? baseline,
        CancellationToken cancel)
    {
        StateSpaceSearch.Explore(model, limits, null, cancel, workers: workers);
        var (r, seconds, cpu) = Timed(() => StateSpaceSearch.Explore(model, limits, null, cancel, workers: workers));
        cancel.ThrowIfCancellationRequested();
        double rate = r.States / seconds;
        string where = workers == 1 ? "local engine, this process" : $"local engine, this process, {workers} workers";
        return (r, new Figure(where, 0, workers, r.States, seconds, rate, baseline is { } b ? rate / b.Rate : 1, cpu, r.States / cpu,
            0, 0, 0, 0, 0, 0, [], baseline is not { } c || Same(c.Result, r)));
    }

    static Figure InProcess(ScenarioModel model, SearchLimits limits, int partitions, ExhaustiveResult local, double localRate, CancellationToken cancel)
    {
        PartitionedSearch.Explore(model, partitions, limits, null, cancel);
        var (o, seconds, cpu) = Timed(() => PartitionedSearch.Explore(model, partitions, limits, null, cancel));
        cancel.ThrowIfCancellationRequested();
        double n = o.Result.States;
        return new Figure("partitioned, this process, one thread", 0, partitions, o.Result.States, seconds, n / seconds, n / seconds / localRate, cpu, n / cpu,
            0, o.Entries / n, o.BatchBytes / n, o.ReportBytes / n, o.Replayed / n, 0, [], Same(local, o.Result));
    }

    static async Task<Figure> Cluster(GrainConnection connection, List<GrainSiloProcess> processes, ScenarioSpec spec, int partitions, ExhaustiveResult local,
        double localRate, CancellationToken cancel)
    {
        await Search(connection, spec, partitions, cancel);
        var cpuBefore = processes.Sum(p => p.Cpu().TotalSeconds);
        var clock = Stopwatch.StartNew();
        var r = await Search(connection, spec, partitions, cancel);
        double seconds = clock.Elapsed.TotalSeconds, cpu = processes.Sum(p => p.Cpu().TotalSeconds) - cpuBefore, n = r.Search.States;
        return new Figure($"{processes.Count} silo process(es)", processes.Count, r.Partitions, r.Search.States, seconds, n / seconds, n / seconds / localRate, cpu, n / cpu,
            r.Batches / n, r.Entries / n, r.BatchBytes / n, r.ReportBytes / n, r.Replayed / n, r.Restarts, r.StatesBySilo, Same(local, r.Search));
    }

    /// <summary>One distributed search; a stop by the user stops it, and its partial result is no figure.</summary>
    static async Task<DistributedSearch> Search(GrainConnection connection, ScenarioSpec spec, int partitions, CancellationToken cancel)
    {
        var r = await DistributedSearchRunner.RunAsync(connection.Client, spec, null, partitions, null, cancel);
        cancel.ThrowIfCancellationRequested();
        return r;
    }

    static (T, double Seconds, double CpuSeconds) Timed<T>(Func<T> work)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var r = work();
        return (r, clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>
    /// The same end, distinct states, final states, transitions, counts per kind and witnesses as the local search: none of
    /// it depends on the order a search reaches its states in (docs/model.md).
    /// </summary>
    static bool Same(ExhaustiveResult local, ExhaustiveResult r) =>
        local.IncompleteReason == r.IncompleteReason && local.States == r.States && local.Result.SameAs(r.Result);
}
