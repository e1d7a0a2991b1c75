using SmmuActors.Grains.Hosting;
using SmmuActors.Reports;
using SmmuActors.Client.Rendering;
using SmmuActors.Model.Sim;
using System.CommandLine;
using System.Diagnostics;
using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Grains.Campaign;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using Spectre.Console;

namespace SmmuActors.Client.Commands;

/// <summary>
/// `bench-cluster`: the same random campaign on local clusters of 1, 2, 3... silo processes that it
/// starts itself (on ports away from the standard ones), with runs/s and its ratio to the local engine's
/// on the same cores (in this process, right before and right after each cluster's campaign, so a drift in what the
/// shared machine gives shows in both rates alike), the spread over silos, and
/// the silos' resident memory sampled through the campaign, so flat memory and scaling are measured, not assumed.
/// </summary>
public static class BenchClusterCommand
{
    /// <summary>
    /// RatioToLocal: to the mean of the local engine's rates just before and just after (LocalBefore, LocalAfter).
    /// RssMiBPeak: each silo's peak resident memory over the campaign (its kernel's high-water mark, set back as the
    /// campaign starts, <see cref="PeakMemory"/>; where it cannot be, the largest sample); RssMiBLast: at the campaign's end.
    /// </summary>
    public sealed record ClusterFigure(int Silos, long Runs, double Seconds, double RunsPerSecond, double RatioToLocal, double LocalBefore, double LocalAfter,
        int Lanes, int Batches, int Reruns, Dictionary<string, int> BatchesBySilo, long[] RssMiBFirst, long[] RssMiBPeak, long[] RssMiBLast,
        string[] RssTimeline, bool SameResult);

    public static Command Create()
    {
        var variant = ScenarioInput.Variant();
        var set = ScenarioInput.Set();
        var workload = ScenarioInput.Workload();
        var seed = ScenarioInput.Seed();
        var json = ScenarioInput.Json();
        var silos = new Option<int[]>("--silos")
        {
            Description = "cluster sizes to measure, in silo processes",
            DefaultValueFactory = _ => [1, 2, 3],
            AllowMultipleArgumentsPerToken = true,
        };
        // A campaign of 20,000 runs lasts about 0.6 s on a cluster, too short to outweigh its fixed costs: two measurements
        // of 2 silos gave 0.26 and 0.37 of the local engine. 100,000 runs last about 3 s; what is left of the spread is the
        // machine's, which the local engine run beside each cluster's campaign (Measure) takes out of the ratio.
        var runs = new Option<long>("--runs", "-n") { Description = "random runs per campaign", DefaultValueFactory = _ => 100_000 };
        var sample = new Option<double>("--rss-every") { CustomParser = InvariantNumbers.Decimal, Description = "seconds between samples of the silos' resident memory", DefaultValueFactory = _ => 5 };
        var search = new Option<bool>("--search") { Description = "measure the exhaustive search split over the silos instead of a random campaign (states/s, traffic per state)" };
        var warmup = Warmup.Option();
        var partitions = new Option<int>("--partitions") { Description = "with --search: partitions of the search (default: one per core of each machine, at least one per silo)" };
        var cmd = new Command("bench-cluster", "measure a random campaign, or an exhaustive search, on local clusters of 1, 2, 3 silo processes (rate, spread, memory)")
        {
            variant, set, workload, seed, runs, silos, sample, warmup, search, partitions, json,
        };
        cmd.SetAction(async (pr, cancel) =>
        {
            if (Gen0Budget.Warning() is { } gcNote) AnsiConsole.MarkupLineInterpolated($"[yellow]{gcNote}[/]");
            string path = pr.GetValue(workload)!;
            var model = ScenarioInput.Build(pr.GetValue(variant)!, pr.GetValue(set)!, path);
            var spec = ScenarioSpec.From(model, path);
            long n = RunCount.Check("--runs", pr.GetValue(runs));
            var sizes = pr.GetValue(silos)!;
            if (sizes.Length == 0 || sizes.Any(s => s < 1 || s > Grains.Hosting.LocalCluster.MaxInstances))
                throw new InputException($"--silos: {string.Join(" ", sizes)} is not a list of cluster sizes from 1 to {Grains.Hosting.LocalCluster.MaxInstances}");
            RepeatedValues.Refuse("--silos", sizes, n => n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (pr.GetValue(partitions) < 0) throw new InputException($"--partitions: {pr.GetValue(partitions)} is not a number of partitions");
            if (pr.GetResult(partitions) is { Implicit: false } && !pr.GetValue(search)) throw new InputException("--partitions: only with --search (a campaign has a lane per core of each machine)");
            // Refused, not clamped to 0.5 s as before: 1e300 overflowed a TimeSpan (exit 4).
            double rssEvery = pr.GetValue(sample);
            if (rssEvery is not (>= 0.5 and <= 3600)) throw new InputException($"--rss-every: {rssEvery} is not a number of seconds from 0.5 to 3,600");
            RequireSiloBuild();
            var warm = Warmup.From(pr, warmup);
            if (pr.GetValue(search)) return await SearchBench.RunAsync(model, spec, sizes, pr.GetValue(partitions), pr.GetValue(json), cancel);
            var every = TimeSpan.FromSeconds(rssEvery);
            var (local, localSeconds) = await MeasureLocal(model, pr.GetValue(seed), n, warm, cancel);
            double localRate = n / localSeconds;
            AnsiConsole.MarkupLineInterpolated($"local engine: {localRate:N0} runs/s on {Plural.Count(Environment.ProcessorCount, "core")}");
            var figures = new List<ClusterFigure>();
            string? cancelled = null;
            foreach (int size in sizes)
            {
                ClusterFigure figure;
                // Ctrl+C keeps what was measured: the table of the clusters done, then INCOMPLETE.
                try { figure = await Measure(size, new CampaignSpec(spec, pr.GetValue(seed), n), every, warm, model, local, cancel); }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    cancelled = $"cancelled during the campaign on {Plural.Count(size, "silo process", "silo processes")}";
                    break;
                }
                figures.Add(figure);
                AnsiConsole.MarkupLineInterpolated($"{size} silo(s): {figure.RunsPerSecond:N0} runs/s ({figure.RatioToLocal:F2} × local, which ran {figure.LocalBefore:N0} before and {figure.LocalAfter:N0} after), peak RSS {string.Join(" / ", figure.RssMiBPeak)} MiB");
            }
            var t = new Table().Title($"campaign of {n:N0} {model.Workload.Name} {Plural.Noun(n, "run")} on local silo processes (local engine: {localRate:N0} runs/s)")
                .AddColumns("silos", "lanes", "batches", "seconds", "runs/s", "local before / after", "ratio to local", "batches per silo", "RSS MiB first → peak → last", "same result as local");
            foreach (var f in figures)
                t.AddRow(f.Silos.ToString(), f.Lanes.ToString(), f.Batches.ToString("N0"), f.Seconds.ToString("F1"), f.RunsPerSecond.ToString("N0"),
                    $"{f.LocalBefore:N0} / {f.LocalAfter:N0}", f.RatioToLocal.ToString("F2"),
                    string.Join(" ", f.BatchesBySilo.OrderBy(p => p.Key).Select(p => p.Value)),
                    string.Join(" | ", f.RssMiBFirst.Select((x, i) => $"{x}→{f.RssMiBPeak[i]}→{f.RssMiBLast[i]}")), f.SameResult ? "yes" : "NO");
            AnsiConsole.Write(t);
            if (cancelled is not null) AnsiConsole.MarkupLineInterpolated($"[yellow]INCOMPLETE: {cancelled}[/]");
            JsonOut.Write(pr.GetValue(json), new { workload = model.Workload.Name, variant = model.Variant.Preset, runs = n, cores = Environment.ProcessorCount,
                localRunsPerSecond = localRate, clusters = figures, incompleteReason = cancelled });
            return !figures.All(f => f.SameResult) ? 1 : cancelled is not null ? Cli.Incomplete : 0;
        });
        return cmd;
    }

    /// <summary>
    /// Said before any measuring: the silo processes are the repository's silo build, which an installed tool does not
    /// carry (a silo is started with `dotnet run --project silo`, README "Local silo cluster").
    /// </summary>
    static void RequireSiloBuild()
    {
        try
        {
            GrainSiloProcess.BuiltDll("silo", "SmmuActors.Silo.dll");
        }
        catch (FileNotFoundException e)
        {
            throw new InputException($"silo processes: bench-cluster starts them from a built clone of SmmuActors, and here {e.Message}; " +
                                     "run it in a clone: dotnet run --project client -c Release -- bench-cluster");
        }
    }

    /// <summary>The same campaign on the local engine, every core of this machine, after a warm-up that lets the JIT settle.</summary>
    static async Task<(BatchResult, double)> MeasureLocal(ScenarioModel model, ulong seed, long runs, TimeSpan warmup, CancellationToken cancel)
    {
        await Warmup.LocalRandomAsync(model, Math.Min(runs, 20_000), warmup, cancel);
        return LocalCampaign(model, seed, runs, cancel);
    }

    static (BatchResult, double Seconds) LocalCampaign(ScenarioModel model, ulong seed, long runs, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var result = Explorer.Random(model, seed, runs, Environment.ProcessorCount, null, cancel);
        cancel.ThrowIfCancellationRequested();
        return (result, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Starts <paramref name="size"/> silo processes on ports away from the standard ones (the primary first), joins them,
    /// runs <paramref name="measure"/> and stops them.
    /// </summary>
    public static async Task<T> OnClusterAsync<T>(int size, Func<GrainConnection, List<GrainSiloProcess>, Task<T>> measure, CancellationToken cancel)
    {
        int offset = GrainSiloProcess.FreePortOffset(size);
        var processes = new List<GrainSiloProcess>();
        // Progress: each cluster's start and measurement take seconds, with nothing else on the console meanwhile.
        Console.Error.WriteLine($"measuring on {Plural.Count(size, "silo process", "silo processes")}...");
        try
        {
            processes.Add(await GrainSiloProcess.StartAsync(0, offset, cancel));
            processes.AddRange(await Task.WhenAll(Enumerable.Range(1, size - 1).Select(i => GrainSiloProcess.StartAsync(i, offset, cancel))));
            await using var connection = await GrainConnection.ClusterAsync(string.Join(',', processes.Select(p => p.Gateway)), cancel);
            return await measure(connection, processes);
        }
        finally
        {
            foreach (var p in processes) await p.StopAsync();
            foreach (var p in processes) p.Dispose();
        }
    }

    static Task<ClusterFigure> Measure(int size, CampaignSpec spec, TimeSpan every, TimeSpan warmup, ScenarioModel model, BatchResult local,
        CancellationToken cancel) =>
        OnClusterAsync(size, async (connection, processes) =>
        {
            // Warm-up (activations, the JIT's tiered compilation in every silo) until settled, as for the local engine.
            await Warmup.UntilSettledAsync(() => GrainCampaignRunner.RunAsync(connection.Client, spec with { Seed = 99, Runs = Math.Min(spec.Runs, 20_000) }, null, null, cancel),
                warmup, Warmup.Max, cancel);
            // The local engine just before and just after, the silos idle meanwhile.
            double before = spec.Runs / LocalCampaign(model, spec.Seed, spec.Runs, cancel).Seconds;
            var rss = new List<long[]>();
            var timeline = new List<string>();
            // Each silo's peak over the campaign itself: samples every few seconds miss a short campaign's.
            bool peaks = processes.All(p => PeakMemory.Reset(p.Pid));
            var clock = Stopwatch.StartNew();
            long done = 0;
            void Sample()
            {
                var mib = processes.Select(p => p.Rss() >> 20).ToArray();
                rss.Add(mib);
                timeline.Add($"{clock.Elapsed.TotalSeconds:F0}s {Interlocked.Read(ref done)} runs: {string.Join(" ", mib)} MiB");
            }
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    Sample();
                    try { await Task.Delay(every, sampling.Token); } catch (OperationCanceledException) { }
                }
            }, cancel);
            var progress = new Progress<ExploreProgress>(p => Interlocked.Exchange(ref done, p.Done));
            var final = await GrainCampaignRunner.RunAsync(connection.Client, spec, progress, null, cancel);
            // A campaign stopped by the user comes back with the batches it finished: no figure to compare.
            cancel.ThrowIfCancellationRequested();
            double seconds = clock.Elapsed.TotalSeconds;
            Interlocked.Exchange(ref done, final.Done);
            await sampling.CancelAsync();
            await sampler;
            // The last sample is taken at the campaign's end, not up to a sampling period before it.
            Sample();
            var peak = peaks
                ? processes.Select(p => PeakMemory.MiB(p.Pid)).ToArray()
                : Enumerable.Range(0, size).Select(i => rss.Max(r => r[i])).ToArray();
            double after = spec.Runs / LocalCampaign(model, spec.Seed, spec.Runs, cancel).Seconds;
            return new ClusterFigure(size, final.Done, seconds, final.Done / seconds, final.Done / seconds / ((before + after) / 2), before, after,
                final.Lanes, final.Batches, final.Reruns,
                final.BatchesBySilo, rss[0], peak, rss[^1], timeline.ToArray(), local.SameAs(final.Result!));
        }, cancel);
}
