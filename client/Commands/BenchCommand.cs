using SmmuActors.Grains.Hosting;
using SmmuActors.Reports;
using SmmuActors.Client.Rendering;
using SmmuActors.Model.Sim;
using System.CommandLine;
using System.Diagnostics;
using SmmuActors.Client.Engines;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Model.Smmu;
using Spectre.Console;

namespace SmmuActors.Client.Commands;

/// <summary>
/// `bench`: executions per second (random) and states per second (exhaustive) per workload, every
/// preset's exhaustive reviewer-race time, and every engine's rate, all measured in one run so the
/// ratios compare like with like on this machine at this moment.
/// </summary>
public static class BenchCommand
{
    /// <summary>
    /// One campaign. Beside its rate, what it cost the process per run (<see cref="ProcessCost"/>): processor time, bytes
    /// allocated, collections beyond gen0 per 10,000 runs, and the share of the campaign's time paused for collections.
    /// </summary>
    public sealed record RandomFigure(string Workload, string Engine, long Runs, double Seconds, double RunsPerSecond, double StepsPerSecond,
        double CpuMicrosPerRun, double BytesPerRun, double OlderCollectionsPer10kRuns, double PausedPercent)
    {
        public static RandomFigure Of(string workload, string engine, BatchResult r, double seconds, ProcessCost cost) =>
            new(workload, engine, r.Runs, seconds, r.Runs / seconds, r.Steps / seconds, cost.Cpu.TotalMicroseconds / r.Runs, (double)cost.Allocated / r.Runs,
                cost.OlderCollections * 10_000.0 / r.Runs, 100 * cost.Paused.TotalSeconds / seconds);
    }
    /// <summary>
    /// One preset's search. Seconds: wall time to the verdict; CpuSeconds: the process's processor time meanwhile
    /// (the search runs on one core, so StatesPerCpuSecond is the rate per core, whatever else loads the machine);
    /// Cold: the first search of the process (JIT included); PeakMemoryMiB: the process's peak resident memory during the
    /// search, with the runtime's own and what its heap kept of earlier searches (<see cref="PeakMemory"/>), or since the
    /// process started where PeakOfSearch is false;
    /// BytesPerState: what the search allocated on the managed heap per distinct state (the search runs on the calling
    /// thread, so unlike the times this is the same in every run of one build: a figure to compare builds by);
    /// Runs: how many times a short warm search was measured, the figures being its median run's (the peak, the highest);
    /// OwnProcess: `explore` run as a process of its own (`--fresh`): Seconds from its start to its exit, its CPU and peak
    /// from its start, no BytesPerState (-1).
    /// </summary>
    public sealed record ExhaustiveFigure(string Workload, string Variant, int Workers, long Finals, long States, bool Exhausted, string? IncompleteReason, double Seconds,
        double StatesPerSecond, double CpuSeconds, double StatesPerCpuSecond, bool Cold, long PeakMemoryMiB, bool PeakOfSearch, long BytesPerState, string[] Violations,
        int Runs, bool OwnProcess);
    public sealed record EngineRatio(string Workload, string Engine, double RatioToLocal);

    public static Command Create()
    {
        var json = ScenarioInput.Json();
        var set = ScenarioInput.Set();
        set.Description = "override one switch of every searched preset: NAME=VALUE (repeatable; e.g. loads=armv8)";
        var runs = new Option<long>("--runs", "-n") { Description = "random runs per measurement", DefaultValueFactory = _ => 200_000 };
        var engineRuns = new Option<long>("--engine-runs") { Description = "random runs per engine in the engine comparison", DefaultValueFactory = _ => 20_000 };
        var engines = new Option<string[]>("--engines")
        {
            Description = $"engines to compare ({string.Join(", ", Naming.All<EngineKind>())})",
            HelpName = "ENGINE",
            DefaultValueFactory = _ => Naming.All<EngineKind>().ToArray(),
            AllowMultipleArgumentsPerToken = true,
        };
        engines.CompletionSources.Add(Naming.All<EngineKind>().ToArray());
        var workloads = new Option<string[]>("--workloads")
        {
            Description = "workload files",
            HelpName = "FILE",
            DefaultValueFactory = _ => ["scenarios/reviewer-race.json", "scenarios/storm.json", "scenarios/pm-cycles.json"],
            AllowMultipleArgumentsPerToken = true,
        };
        var search = new Option<string[]>("--search")
        {
            Description = "workloads searched exhaustively under every preset (none: `--search` alone)",
            HelpName = "FILE",
            DefaultValueFactory = _ => ["scenarios/reviewer-race.json", "scenarios/full-queue.json"],
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.ZeroOrMore,
        };
        var warmup = Warmup.Option();
        var presetsOpt = new Option<string[]>("--variants")
        {
            Description = "presets searched (default: every preset)",
            HelpName = "PRESET",
            AllowMultipleArgumentsPerToken = true,
        };
        var firstViolation = new Option<bool>("--first-violation")
        {
            Description = "search each execution only to its first violation (explore's --first-violation)",
        };
        var stopAtFirst = new Option<bool>("--stop-at-first")
        {
            Description = "stop each search at its first safety violation (explore's --stop-at-first): the time to a counterexample",
        };
        var workers = new Option<int[]>("--workers")
        {
            Description = $"each search on this many threads, once per number given (default: 1, the per-core figures, and one per core, {StateSpaceSearch.DefaultWorkers} here, the time to verdict)",
            HelpName = "N",
            DefaultValueFactory = _ => [.. new[] { 1, StateSpaceSearch.DefaultWorkers }.Distinct()],
            AllowMultipleArgumentsPerToken = true,
        };
        var repeat = new Option<double>("--repeat")
        {
            CustomParser = InvariantNumbers.Decimal,
            Description = $"a warm search shorter than {ShortSearch} s is run at least {MinRepeats} times and again until this many seconds have passed (at most {MaxRepeats} runs); its figures are the median run's; 0: every search once",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => 1.0,
        };
        var fresh = new Option<bool>("--fresh")
        {
            Description = "also run each preset's search as `explore` in a process of its own: time to verdict as a user waits for it (start-up and JIT included), the process's CPU and peak memory",
        };
        var cmd = new Command("bench", "measure exploration speed: random runs/s, exhaustive states/s, time to verdict and memory, every engine's rate")
        {
            runs, engineRuns, engines, warmup, workloads, search, presetsOpt, set, firstViolation, stopAtFirst, workers, repeat, fresh, json,
        };
        cmd.SetAction(async (pr, cancel) =>
        {
            if (Gen0Budget.Warning() is { } gcNote) AnsiConsole.MarkupLineInterpolated($"[yellow]{gcNote}[/]");
            var models = pr.GetValue(workloads)!.Select(w => (Path: w, Model: ScenarioInput.Build("as-posted", [], w, "--workloads"))).ToList();
            var engineKinds = pr.GetValue(engines)!.Select(e => Naming.TryParse<EngineKind>(e, out var k) ? k
                : throw new InputException($"--engines: unknown engine '{e}'; expected {string.Join(", ", Naming.All<EngineKind>())}")).ToList();
            // Names as given: each parsed above, and a name is spelled one way only.
            RepeatedValues.Refuse("--engines", pr.GetValue(engines)!, e => e);
            RepeatedValues.RefuseFiles("--workloads", pr.GetValue(workloads)!);
            RepeatedValues.RefuseFiles("--search", pr.GetValue(search) ?? []);
            RepeatedValues.Refuse("--variants", pr.GetValue(presetsOpt) ?? [], v => v);
            RepeatedValues.Refuse("--workers", pr.GetValue(workers)!, w => w.ToString(System.Globalization.CultureInfo.InvariantCulture));
            long n = RunCount.Check("--runs", pr.GetValue(runs)), en = RunCount.Check("--engine-runs", pr.GetValue(engineRuns));
            // Checked before any work, as each preset with the --set given: each preset's scenario is built only when its search comes.
            foreach (var name in pr.GetValue(presetsOpt) ?? [])
                if (!Variants.Presets.Any(p => p.Name == name))
                    throw new InputException($"--variants: unknown variant '{name}'; presets: {string.Join(", ", Variants.Presets.Select(p => p.Name))}");
            var searchedPresets = pr.GetValue(presetsOpt) is { Length: > 0 } chosen ? chosen : Variants.Presets.Select(p => p.Name).ToArray();
            foreach (var name in searchedPresets) ScenarioInput.BuildVariant(name, pr.GetValue(set)!);
            var warm = Warmup.From(pr, warmup);
            double repeatFor = pr.GetValue(repeat);
            if (!(repeatFor >= 0 && repeatFor <= MaxRepeatSeconds))
                throw new InputException($"--repeat: {repeatFor} is not a number of seconds from 0 to {MaxRepeatSeconds}");
            var crews = pr.GetValue(workers)!;
            if (crews.Length == 0 || crews.Any(w => w < 1 || w > StateSpaceSearch.MaxWorkers))
                throw new InputException($"--workers: {string.Join(" ", crews)} is not a list of thread counts from 1 to {StateSpaceSearch.MaxWorkers}");

            var exhaustive = new List<ExhaustiveFigure>();
            var random = new List<RandomFigure>();
            var engineFigures = new List<RandomFigure>();
            var ratios = new List<EngineRatio>();
            try
            {
                bool cold = true;
                // `--search` with no file skips the searches (the default applies only when the option is absent).
                var searched = pr.GetResult(search) is { Implicit: false, Tokens.Count: 0 } ? [] : pr.GetValue(search)!;
                foreach (var path in searched)
                {
                    var overrides = pr.GetValue(set)!;
                    var workload = ScenarioInput.Build("as-posted", overrides, path, "--search").Workload;
                    // The first preset twice: once in a fresh process (JIT, first allocations; the searches run before anything
                    // else this process does), once warm.
                    var presets = searchedPresets.ToList();
                    if (cold) presets.Insert(0, presets[0]);
                    foreach (var preset in presets)
                    // The fresh-process search once, on the first number of workers.
                    foreach (int crew in cold ? crews[..1] : crews)
                    {
                        var m = ScenarioInput.Build(preset, overrides, path);
                        Console.Error.WriteLine($"searching {workload.Name} under {preset} on {crew} worker(s)...");
                        var timed = new List<SearchRun>();
                        // A warm search shorter than ShortSearch is run at least MinRepeats times and again until --repeat seconds have
                        // passed: once, its rate is mostly the runtime's background compiling and the collections of the moment. The
                        // fresh-process search is run once, and every search with --repeat 0.
                        do timed.Add(TimedSearch(m, crew, pr.GetValue(firstViolation), pr.GetValue(stopAtFirst), cancel));
                        while (!cold && repeatFor > 0 && timed[0].Seconds < ShortSearch
                            && (timed.Count < MinRepeats || timed.Sum(t => t.Seconds) < repeatFor) && timed.Count < MaxRepeats);
                        var (found, s, cpuSeconds, allocated, _, ownPeak) = Median(timed, t => t.Seconds);
                        long peak = timed.Max(t => t.PeakMiB);
                        string variant = VariantName(preset, overrides, found.FirstViolation, pr.GetValue(stopAtFirst));
                        exhaustive.Add(new ExhaustiveFigure(workload.Name, variant, crew, found.Result.Runs, found.States, found.Exhausted, found.IncompleteReason, s, found.States / s,
                            cpuSeconds, found.States / cpuSeconds, cold, peak, ownPeak, allocated / Math.Max(1, found.States), found.Result.ViolationsByKind.Keys.Select(k => Naming.Kebab(k)).Order(StringComparer.Ordinal).ToArray(),
                            timed.Count, OwnProcess: false));
                        AnsiConsole.MarkupLineInterpolated($"exhaustive {workload.Name} {variant} on {crew} worker(s){(cold ? " (fresh process)" : "")}: {found.States:N0} states in {s:F2} s{(timed.Count > 1 ? $" (median of {timed.Count} runs)" : "")}{(found.Exhausted ? "" : $" (INCOMPLETE: {found.IncompleteReason})")}");
                        if (cold)
                        {
                            // Warm means the runtime has settled: after the one fresh search the JIT is still promoting the search's
                            // methods to optimized code on its background thread, which the next figures would pay for.
                            int rounds = await Warmup.UntilSettledAsync(() => Task.Run(() => TimedSearch(m, crew, pr.GetValue(firstViolation), pr.GetValue(stopAtFirst), cancel)),
                                TimeSpan.FromSeconds(Math.Min(1, warm.TotalSeconds)), SearchWarmupMax, cancel);
                            AnsiConsole.MarkupLineInterpolated($"exhaustive search warmed up over {Plural.Count(rounds, "search", "searches")} of {workload.Name} under {preset}");
                        }
                        cold = false;
                    }
                    if (!pr.GetValue(fresh)) continue;
                    foreach (var preset in presets.Distinct())
                    foreach (int crew in crews)
                    {
                        Console.Error.WriteLine($"searching {workload.Name} under {preset} on {crew} worker(s) in a process of its own...");
                        var o = await OwnProcessSearch.RunAsync(path, preset, overrides, crew, pr.GetValue(firstViolation), pr.GetValue(stopAtFirst), cancel);
                        string variant = VariantName(preset, overrides, o.FirstViolation, pr.GetValue(stopAtFirst));
                        exhaustive.Add(new ExhaustiveFigure(workload.Name, variant, crew, o.Runs, o.States, o.Exhausted, o.IncompleteReason, o.WallSeconds, o.States / o.WallSeconds,
                            o.CpuSeconds, o.States / o.CpuSeconds, Cold: true, o.PeakMiB, PeakOfSearch: true, BytesPerState: -1, o.Violations, Runs: 1, OwnProcess: true));
                        AnsiConsole.MarkupLineInterpolated($"exhaustive {workload.Name} {variant} on {crew} worker(s) in a process of its own: {o.States:N0} states, {o.WallSeconds:F2} s from start to exit");
                    }
                }

                foreach (var (_, model) in models)
                {
                    // Warm-up until the JIT's tiered compilation has settled, so the figure is the steady state: the local engine
                    // alone in this process settles within a second or two.
                    await Warmup.LocalRandomAsync(model, 2000, TimeSpan.FromSeconds(1.5), cancel);
                    var before = ProcessCost.Now();
                    var clock = Stopwatch.StartNew();
                    var r = Explorer.Random(model, 1, n, Environment.ProcessorCount, null, cancel);
                    // Stopped, the engines hand back what they finished: a measurement cut short is no figure.
                    cancel.ThrowIfCancellationRequested();
                    double s = clock.Elapsed.TotalSeconds;
                    random.Add(RandomFigure.Of(model.Workload.Name, "local", r, s, ProcessCost.Now().Since(before)));
                    AnsiConsole.MarkupLineInterpolated($"random {model.Workload.Name}: {r.Runs / s:N0} runs/s ({r.Steps / s:N0} deliveries/s) on {Plural.Count(Environment.ProcessorCount, "core")}");
                }

                foreach (var (path, model) in models.Where(m => m.Model.Workload.Name is "reviewer-race" or "storm"))
                {
                    var (figures, ratio) = await CompareEngines(path, model, engineKinds, en, warm, cancel);
                    engineFigures.AddRange(figures);
                    ratios.AddRange(ratio);
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                // The measurements that finished are figures; the one cut short is not. They are written as bench-cluster writes
                // its clusters measured, with why the rest is missing, and no targets, which need every figure.
                Render(random, exhaustive, engineFigures, ratios);
                AnsiConsole.MarkupLine("[yellow]INCOMPLETE: cancelled[/]: the tables hold the measurements that finished");
                WriteJson(pr.GetValue(json), random, exhaustive, engineFigures, ratios, "cancelled");
                return Cli.Incomplete;
            }

            Render(random, exhaustive, engineFigures, ratios);
            WriteJson(pr.GetValue(json), random, exhaustive, engineFigures, ratios, null);
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// The figures as JSON; a bench a stop cut short has <paramref name="incompleteReason"/> and no targets (the slowest preset
    /// of those that finished is not the slowest preset).
    /// </summary>
    static void WriteJson(string? path, List<RandomFigure> random, List<ExhaustiveFigure> exhaustive, List<RandomFigure> engineFigures,
        List<EngineRatio> ratios, string? incompleteReason) =>
        JsonOut.Write(path, new
        {
            machine = new { cores = Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription },
            random,
            exhaustive,
            engines = engineFigures,
            ratios,
            targets = incompleteReason is not null ? null : new
            {
                reviewerRaceRandomRunsPerSecond = random.FirstOrDefault(f => f.Workload == "reviewer-race")?.RunsPerSecond,
                // Each preset's warm time to verdict on the number of workers that gave it first, then the slowest preset's.
                slowestReviewerRaceExhaustiveSeconds = exhaustive.Where(f => f.Workload == "reviewer-race" && !f.Cold).GroupBy(f => f.Variant)
                    .Select(g => g.Min(f => f.Seconds)).DefaultIfEmpty().Max(),
            },
            incompleteReason,
        });

    /// <summary>A search's row name: the preset, the switches set over it, and how far each execution was searched.</summary>
    static string VariantName(string preset, string[] overrides, bool firstViolation, bool stopAtFirst) =>
        (overrides.Length == 0 ? preset : $"{preset} {string.Join(" ", overrides)}") + (firstViolation ? " (to first violations)" : "")
        + (stopAtFirst ? " (to the first violation)" : "");

    /// <summary>A warm search that took less than this many seconds is measured again: at least <see cref="MinRepeats"/> runs, then for `--repeat` seconds, at most <see cref="MaxRepeats"/>.</summary>
    const double ShortSearch = 0.5;

    const int MinRepeats = 3, MaxRepeats = 9;

    /// <summary>The longest the searches' warm-up lasts (a long first preset's searches stop it sooner than they settle).</summary>
    static readonly TimeSpan SearchWarmupMax = TimeSpan.FromSeconds(10);
    const double MaxRepeatSeconds = 60;

    /// <summary>One measured search: its result, wall and processor seconds, bytes allocated, the peak resident MiB, and whether that peak is the search's own.</summary>
    readonly record struct SearchRun(ExhaustiveResult Found, double Seconds, double CpuSeconds, long Allocated, long PeakMiB, bool OwnPeak);

    static SearchRun TimedSearch(ScenarioModel m, int workers, bool firstViolation, bool stopAtFirst, CancellationToken cancel)
    {
        // Each search from a heap without the previous one's graph, whose garbage would otherwise bill this one's
        // collections; the peak from here on is this search's, with what the runtime kept of earlier ones. (An
        // aggressive collection, which gives the heap's memory back, made the searches after it 30 to 40 % slower.)
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        bool ownPeak = PeakMemory.Reset();
        var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var found = Explorer.Exhaustive(m, null, cancel, firstViolation: firstViolation, workers: workers, stopAtFirst: stopAtFirst);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        cancel.ThrowIfCancellationRequested();
        double s = clock.Elapsed.TotalSeconds;
        self.Refresh();
        return new SearchRun(found, s, (self.TotalProcessorTime - cpu).TotalSeconds, allocated, PeakMemory.MiB(), ownPeak);
    }

    /// <summary>Rounds of the engine comparison: each engine runs the campaign once per round, the engines taking turns.</summary>
    const int EngineRounds = 3;

    /// <summary>
    /// Every engine's rate on one workload, each warmed up until settled (<see cref="Warmup"/>), then measured in
    /// <see cref="EngineRounds"/> rounds that alternate the engines, so a spell of load on this shared machine slows
    /// them alike: each engine's figure is its median round, each ratio the median of the rounds' ratios.
    /// </summary>
    static async Task<(List<RandomFigure> Figures, List<EngineRatio> Ratios)> CompareEngines(string path, ScenarioModel model, List<EngineKind> kinds,
        long runs, TimeSpan warmup, CancellationToken cancel)
    {
        var spec = ScenarioSpec.From(model, path);
        var hosts = new List<(string Name, IEngineHost Host)>();
        try
        {
            foreach (var kind in kinds) hosts.Add((Naming.Kebab(kind), await EngineFactory.CreateAsync(kind, ClusterAddress.Embedded, traced: false, cancel)));
            foreach (var (name, host) in hosts)
            {
                int warm = await Warmup.UntilSettledAsync(() => host.RandomAsync(spec, 99, runs, null, cancel), warmup, Warmup.Max, cancel);
                AnsiConsole.MarkupLineInterpolated($"engine {name} {model.Workload.Name}: warmed up over {Plural.Count(warm, "campaign")}");
            }
            var rounds = hosts.ToDictionary(h => h.Name, _ => new List<RandomFigure>());
            for (int round = 1; round <= EngineRounds; round++)
                foreach (var (name, host) in hosts)
                {
                    var before = ProcessCost.Now();
                    var clock = Stopwatch.StartNew();
                    var r = (await host.RandomAsync(spec, 1, runs, null, cancel)).Result;
                    // Stopped, the engines hand back what they finished: a measurement cut short is no figure.
                    cancel.ThrowIfCancellationRequested();
                    double s = clock.Elapsed.TotalSeconds;
                    rounds[name].Add(RandomFigure.Of(model.Workload.Name, name, r, s, ProcessCost.Now().Since(before)));
                    AnsiConsole.MarkupLineInterpolated($"engine {name} {model.Workload.Name} round {round}: {r.Runs / s:N0} runs/s");
                }
            string local = Naming.Kebab(EngineKind.Local);
            var figures = rounds.Values.Select(f => Median(f, x => x.RunsPerSecond)).ToList();
            var ratios = rounds.ContainsKey(local)
                ? rounds.Where(e => e.Key != local)
                    .Select(e => new EngineRatio(model.Workload.Name, e.Key, Median(e.Value.Zip(rounds[local], (g, l) => g.RunsPerSecond / l.RunsPerSecond).ToList(), x => x)))
                    .ToList()
                : [];
            return (figures, ratios);
        }
        finally
        {
            foreach (var (_, host) in hosts) await host.DisposeAsync();
        }
    }

    static T Median<T>(List<T> xs, Func<T, double> by) => xs.OrderBy(by).ElementAt(xs.Count / 2);

    static void Render(List<RandomFigure> random, List<ExhaustiveFigure> exhaustive, List<RandomFigure> engines, List<EngineRatio> ratios)
    {
        var t = new Table().Title("random exploration (local engine, all cores)").AddColumns(["workload", "runs", "seconds", "runs/s", "deliveries/s", .. CostColumns]);
        foreach (var f in random) t.AddRow([f.Workload, f.Runs.ToString("N0"), f.Seconds.ToString("F2"), f.RunsPerSecond.ToString("N0"), f.StepsPerSecond.ToString("N0"), .. Cost(f)]);
        if (random.Count > 0) AnsiConsole.Write(t);
        var x = new Table().Title("exhaustive exploration").AddColumns("workload", "variant", "workers", "states", "verdict space", "runs", "seconds to verdict", "states/s", "CPU s", "states/s/core", "peak MiB", "bytes/state", "violations");
        foreach (var f in exhaustive)
            x.AddRow(f.Workload, f.Variant + (f.OwnProcess ? " (own process)" : f.Cold ? " (fresh)" : ""), f.Workers.ToString(), f.States.ToString("N0"), f.Exhausted ? "exhausted" : $"INCOMPLETE: {f.IncompleteReason}",
                f.Runs.ToString(), f.Seconds.ToString("F2"), f.StatesPerSecond.ToString("N0"), f.CpuSeconds.ToString("F2"), f.StatesPerCpuSecond.ToString("N0"), f.PeakMemoryMiB.ToString("N0") + (f.PeakOfSearch ? "" : " (process)"), f.BytesPerState < 0 ? "-" : f.BytesPerState.ToString("N0"),
                f.Violations.Length == 0 ? "none" : string.Join(", ", f.Violations));
        if (exhaustive.Count > 0) AnsiConsole.Write(x);
        var e = new Table().Title("engines").AddColumns(["workload", "engine", "runs", "runs/s", "ratio to local", .. CostColumns]);
        foreach (var f in engines)
        {
            var ratio = ratios.FirstOrDefault(r => r.Workload == f.Workload && r.Engine == f.Engine);
            e.AddRow([f.Workload, f.Engine, f.Runs.ToString("N0"), f.RunsPerSecond.ToString("N0"), ratio is null ? "1" : ratio.RatioToLocal.ToString("F3"), .. Cost(f)]);
        }
        if (engines.Count > 0) AnsiConsole.Write(e);
    }

    static readonly string[] CostColumns = ["CPU µs/run", "bytes/run", "gen1+ GCs/10k runs", "GC paused"];

    static string[] Cost(RandomFigure f) =>
        [f.CpuMicrosPerRun.ToString("F1"), f.BytesPerRun.ToString("N0"), f.OlderCollectionsPer10kRuns.ToString("F1"), $"{f.PausedPercent:F1} %"];
}
