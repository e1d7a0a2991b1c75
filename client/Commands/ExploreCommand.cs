using SmmuActors.Grains.Hosting;
using System.CommandLine;
using SmmuActors.Client.Engines;
using SmmuActors.Client.Rendering;
using SmmuActors.Reports;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Telemetry;
using Spectre.Console;

namespace SmmuActors.Client.Commands;

/// <summary>
/// `explore`: many executions; a summary, and one shrunk, replayable counterexample with its chart
/// per violation kind. Only counterexamples are traced (re-run traced), plus a sample of a random
/// campaign's runs when asked, so a large campaign does not flood the exporter.
/// </summary>
public static class ExploreCommand
{
    const long DefaultRandomRuns = 100_000;

    public static Command Create()
    {
        var variant = ScenarioInput.Variant();
        variant.Description += ", or 'all' for every preset";
        variant.CompletionSources.Add("all");
        var set = ScenarioInput.Set();
        var workload = ScenarioInput.Workload();
        var seed = ScenarioInput.Seed();
        var json = ScenarioInput.Json();
        var engine = EngineInput.Engine();
        var cluster = new ClusterInput();
        var strategy = new Option<string>("--strategy")
        {
            Description = "random (seeded runs with virtual time) or exhaustive (every delivery order the ordering rules allow)",
            DefaultValueFactory = _ => Naming.Kebab(StrategyKind.Random),
        };
        strategy.AcceptOnlyFromAmong(Naming.Kebab(StrategyKind.Random), Naming.Kebab(StrategyKind.Exhaustive));
        var runs = new Option<long?>("--runs", "-n")
        {
            Description = $"random only: number of runs (default {DefaultRandomRuns:N0})",
        };
        var outDir = new Option<string>("--out")
        {
            Description = "directory for counterexample files and their SVG charts",
            DefaultValueFactory = _ => "counterexamples",
        };
        var timeout = new Option<double>("--timeout")
        {
            CustomParser = InvariantNumbers.Decimal,
            Description = "exhaustive only: stop after this many seconds and report INCOMPLETE (default, or 0: no time limit)",
        };
        var maxStates = new Option<long?>("--max-states")
        {
            Description = "exhaustive only: stop after this many distinct states and report INCOMPLETE (default: the workload's bounds.maxStates)",
        };
        var maxSteps = new Option<long?>("--max-steps")
        {
            Description = "deliveries an execution may take: a random run stops there (and is not judged for liveness); an exhaustive search does not search on from a state that many deliveries from the start on its shortest path, and reports INCOMPLETE if there is one (default: the workload's bounds.maxSteps; a closed search needs it above the depth it prints)",
        };
        var noReduction = new Option<bool>("--no-reduction")
        {
            Description = "exhaustive, local engine: expand every enabled delivery in every state, without the partial-order reduction (Spin's NOREDUCE), to cross-check the reduced search",
        };
        var workers = new Option<int?>("--workers")
        {
            Description = $"exhaustive, local engine: threads searching at once, 1 to {StateSpaceSearch.MaxWorkers} (default: one per core, {StateSpaceSearch.DefaultWorkers} here; one with --stop-at-first); the answer is the same for any number (a search that maxStates cuts is searched again on one thread, whose order is fixed)",
        };
        var firstViolation = new Option<bool>("--first-violation")
        {
            Description = "exhaustive only: end each execution at its first violation and search on (faster on a broken variant; a clean verdict is unchanged; kinds that occur only after another are not listed)",
        };
        var stopAtFirst = new Option<bool>("--stop-at-first")
        {
            Description = "exhaustive, local engine: stop the whole search at the first transition that shows a safety violation, as Spin and TLC stop at the first error by default: VIOLATED with that kind, the space INCOMPLETE; one worker unless --workers says otherwise (on several, a search that stops is searched again on one, whose order decides which violation is first, so the answer is the same); the kinds judged at final states (deadlock, lost-command) and on the finished graph (the time-based ones) do not stop it, and a search that meets no safety violation runs to its end",
        };
        var report = new Option<string?>("--report") { Description = "write an HTML report (verdicts, coverage, each counterexample's chart and timeline) to this directory" };
        var trace = TraceInput.Trace("each counterexample (re-run traced)");
        var otlp = TraceInput.Otlp();
        var sample = TraceInput.Sample();
        var detach = new Option<bool>("--detach") { Description = "random, on --redis or --cluster: submit the campaign, print its id and return (see 'campaign')" };
        var cmd = new Command("explore", "explore many executions of a workload under a variant and report every kind of violation")
        {
            variant, set, workload, strategy, runs, timeout, maxStates, maxSteps, noReduction, workers, firstViolation, stopAtFirst, seed, json, outDir, engine, cluster.Gateways, cluster.Redis, report, trace, otlp, sample, detach,
        };
        cmd.SetAction(async (pr, cancel) =>
        {
            string workloadPath = pr.GetValue(workload)!;
            string preset = pr.GetValue(variant)!;
            var presets = preset == "all" ? Variants.Presets.Select(p => p.Name).ToList() : [preset];
            var models = presets.Select(p => ScenarioInput.Build(p, pr.GetValue(set)!, workloadPath)).ToList();
            // A preset that a --set made another, or the same variant as another, is explored once.
            ScenarioInput.SayRenamed(presets, pr.GetValue(set)!, models);
            ScenarioInput.SayIdle(pr.GetValue(set)!, models);
            models = ScenarioInput.ExploredOnce(models);
            var strat = Naming.Parse<StrategyKind>(pr.GetValue(strategy)!, "strategy");
            if (strat == StrategyKind.Exhaustive && pr.GetValue(runs) is not null)
                throw new InputException("--runs: an exhaustive search is bounded by the workload's bounds.maxStates (or --max-states) and bounds.maxSteps, or by --timeout");
            if (strat == StrategyKind.Exhaustive && pr.GetResult(seed) is { Implicit: false })
                throw new InputException("--seed: an exhaustive search draws nothing at random; its answer is the same for every seed");
            if (pr.GetValue(maxStates) is { } bound)
            {
                if (strat != StrategyKind.Exhaustive) throw new InputException("--max-states: only an exhaustive search counts states; a random campaign is bounded by --runs");
                if (bound < 1 || bound > WorkloadLoader.MaxStatesLimit)
                    throw new InputException($"--max-states: {bound} is not a number of states from 1 to {WorkloadLoader.MaxStatesLimit:N0}");
                models = WithBound(models, text => WorkloadEdit.WithMaxStates(text, bound), workloadPath);
            }
            if (pr.GetValue(maxSteps) is { } steps)
            {
                if (steps < WorkloadLoader.MinSteps || steps > WorkloadLoader.MaxStepsLimit)
                    throw new InputException($"--max-steps: {steps} is not a number of deliveries from {WorkloadLoader.MinSteps} to {WorkloadLoader.MaxStepsLimit:N0}");
                models = WithBound(models, text => WorkloadEdit.WithMaxSteps(text, steps), workloadPath);
            }
            long n = pr.GetValue(runs) ?? (strat == StrategyKind.Random ? DefaultRandomRuns : 0);
            if (strat == StrategyKind.Random) RunCount.Check("--runs", n);
            else if (n < 0) throw new InputException($"--runs: {n} is not a positive number of runs");
            double timeoutSeconds = pr.GetValue(timeout);
            // A budget TimeSpan can hold and the summary can print ("stopped by --timeout 0.001 s"); 0 is none.
            if (!(timeoutSeconds == 0 || timeoutSeconds >= 0.001 && timeoutSeconds <= MaxTimeoutSeconds))
                throw new InputException($"--timeout: {timeoutSeconds} is not a number of seconds from 0.001 to {MaxTimeoutSeconds:N0} (or 0: no time limit)");
            if (timeoutSeconds > 0 && strat != StrategyKind.Exhaustive) throw new InputException("--timeout: only an exhaustive search has a time budget; a random campaign is bounded by --runs");
            double rate = pr.GetValue(sample);
            if (!(rate >= 0 && rate <= 1)) throw new InputException($"--trace-sample: {rate} is not a rate in (0, 1]");
            if (rate > 0 && strat != StrategyKind.Random) throw new InputException("--trace-sample: only random campaigns are sampled; an exhaustive search traces its counterexamples");
            var engineKind = EngineInput.Resolve(pr.GetValue(engine), cluster.Read(pr, pr.GetValue(engine)));
            bool reduce = !pr.GetValue(noReduction);
            if (!reduce && strat != StrategyKind.Exhaustive) throw new InputException("--no-reduction: only an exhaustive search reduces; a random campaign runs whole executions");
            if (!reduce && engineKind != EngineKind.Local) throw new InputException("--no-reduction: the local engine only (the search split over silos is always reduced)");
            bool stopFirst = pr.GetValue(stopAtFirst);
            // Stopped at its first violation, a search on several workers is searched again on one, whose order decides
            // which violation is first: one worker from the start then, unless told otherwise.
            int threads = pr.GetValue(workers) ?? (stopFirst ? 1 : StateSpaceSearch.DefaultWorkers);
            if (pr.GetValue(workers) is not null)
            {
                if (strat != StrategyKind.Exhaustive) throw new InputException("--workers: only an exhaustive search has workers; a random campaign runs on every core");
                if (engineKind != EngineKind.Local) throw new InputException("--workers: the local engine only (the search split over silos has a partition per core of each machine)");
                if (threads < 1 || threads > StateSpaceSearch.MaxWorkers) throw new InputException($"--workers: {threads} is not a number of threads from 1 to {StateSpaceSearch.MaxWorkers}");
            }
            bool first = pr.GetValue(firstViolation);
            if (first && strat != StrategyKind.Exhaustive) throw new InputException("--first-violation: an exhaustive search only (a random run is one execution, judged whole)");
            if (stopFirst && strat != StrategyKind.Exhaustive) throw new InputException("--stop-at-first: an exhaustive search only (a random campaign is bounded by --runs)");
            if (stopFirst && engineKind != EngineKind.Local) throw new InputException("--stop-at-first: the local engine only (the search split over silos runs to its end)");
            // Delays do not shape the search (it takes every order the rules allow), so a pin, which scripts one delay, changes nothing there.
            if (strat == StrategyKind.Exhaustive && models[0].Workload.Pins.Count is var pins and > 0)
                Console.Error.WriteLine($"note: the workload's {pins} pin(s) apply to run and random campaigns; an exhaustive search takes every order the rules allow, so they change nothing");
            if (pr.GetValue(detach))
            {
                // This command returns once the campaign is submitted: what these would write comes from 'campaign results'.
                foreach (var given in new Option[] { json, outDir, report, trace, otlp, sample }.Where(o => pr.GetResult(o) is { Implicit: false }))
                    throw new InputException($"{given.Name}: a detached campaign writes nothing here; its summary and counterexamples come from "
                        + "'smmu-actors campaign results ID --json FILE --out DIR' once it ends (traces: 'smmu-actors replay FILE --trace')");
                return await DetachedExplore.SubmitAsync(models, workloadPath, strat, pr.GetValue(seed), n, engineKind, cluster.Read(pr, pr.GetValue(engine)), cancel);
            }
            var telemetryOptions = TraceInput.Options(pr.GetValue(trace) || rate > 0, pr.GetValue(otlp), engineKind, orleansSpans: false);
            using var telemetry = TelemetrySetup.Start(telemetryOptions);

            var settings = new Settings(workloadPath, strat, n, pr.GetValue(seed), rate, pr.GetValue(outDir)!, telemetryOptions.Enabled,
                timeoutSeconds > 0 ? TimeSpan.FromSeconds(timeoutSeconds) : null, reduce, first, threads, stopFirst);
            IEngineHost? host = null;
            var explored = new List<ExploredVariant>();
            var placements = new List<Placement>();
            var footprints = new List<ProcessFootprint>();
            try
            {
                // A stop request ends the loop after the variant it cut short, whose partial summary is printed.
                foreach (var model in models.TakeWhile(_ => !cancel.IsCancellationRequested))
                {
                    // Stopped while the engine starts (an embedded silo takes a second or more), nothing ran: said below, as not run.
                    try { host ??= await TracedEngine.CreateAsync(engineKind, cluster.Read(pr, pr.GetValue(engine)), telemetryOptions.Enabled, cancel); }
                    catch (OperationCanceledException) when (cancel.IsCancellationRequested) { break; }
                    var (e, where) = await ExploreOne(model, settings, host, cancel);
                    SummaryView.Write(AnsiConsole.Console, e.Summary);
                    var footprint = ProcessFootprint.Now();
                    PlacementView.Write(AnsiConsole.Console, where, footprint);
                    StoryView.WriteAll(AnsiConsole.Console, e.Findings, cancel);
                    explored.Add(e);
                    placements.Add(where);
                    footprints.Add(footprint);
                }
            }
            finally
            {
                if (host is not null) await host.DisposeAsync();
            }
            if (explored.Count == 0) AnsiConsole.MarkupLine("[yellow]INCOMPLETE: cancelled[/] before anything finished");
            if (explored.Count > 1) SummaryView.WriteVerdicts(AnsiConsole.Console, explored.Select(e => e.Summary).ToList());
            // A stop ends the loop before the presets after the one it cut short: said, not left to be counted.
            var notRun = models.Skip(explored.Count).Select(m => m.Variant.Preset).ToList();
            if (notRun.Count > 0) AnsiConsole.MarkupLineInterpolated($"[yellow]not run (stopped first): {string.Join(", ", notRun)}[/]");
            // Only when asked: the first serialization of a summary costs a few tenths of a second, after a stop too.
            if (pr.GetValue(json) is { } jsonPath)
            {
                var records = explored.Select((e, i) => JsonOut.Explored(e.Summary, placements[i], footprints[i])).ToList();
                records.AddRange(notRun.Select(JsonOut.NotRun));
                // One object for one variant, an array for several ('all'), however many a stop left done.
                JsonOut.Write(jsonPath, models.Count == 1 && records.Count == 1 ? records[0] : records);
            }
            if (pr.GetValue(report) is { } dir)
            {
                if (explored.Count == 0) Console.Error.WriteLine($"--report: nothing was explored, so no report was written to {dir}");
                else AnsiConsole.MarkupLineInterpolated($"report: [bold]{HtmlReport.Write(dir, explored, $"smmu-actors {string.Join(" ", Environment.GetCommandLineArgs().Skip(1))}", cancel)}[/]");
            }
            // Last, after every output it could write: what it could not.
            if (Finding.ReportNotSaved(explored.SelectMany(e => e.Findings))) return Cli.BadInput;
            return ExitCode(explored.Select(e => e.Summary).ToList(), models.Count);
        });
        return cmd;
    }

    /// <summary>A year: more than any search here needs, and far inside what a TimeSpan holds.</summary>
    const double MaxTimeoutSeconds = 365 * 24 * 3600;

    /// <summary>
    /// The exit code of an explore of <paramref name="variants"/> variants, from the summaries printed: 3 if a stop cut
    /// the work short (a variant cancelled, or not reached), since even violations already found are then only part of
    /// the answer; else 1 for any violation; else 3 if a bound cut a search short; else 0. From the summaries, not from
    /// the stop token: a stop that comes after the last variant was explored changes nothing printed, nor the code.
    /// </summary>
    public static int ExitCode(IReadOnlyList<ExploreSummary> explored, int variants) =>
        explored.Count < variants || explored.Any(e => e.IncompleteReason == VerdictWords.Cancelled) ? Cli.Incomplete
        : explored.Any(e => e.ViolationsByKind.Count > 0) ? 1
        : explored.Any(e => e.IncompleteReason is not null) ? Cli.Incomplete
        : 0;

    /// <summary>
    /// The models with a bound set in the workload itself (<paramref name="edit"/>), so every engine, and every
    /// counterexample's embedded workload, has the bound used.
    /// </summary>
    static List<ScenarioModel> WithBound(List<ScenarioModel> models, Func<string, string> edit, string workloadPath) =>
        models.Select(m => new ScenarioModel(WorkloadLoader.Parse(edit(m.Workload.SourceText), workloadPath), m.Variant)).ToList();

    sealed record Settings(string WorkloadPath, StrategyKind Strategy, long Runs, ulong Seed, double SampleRate, string OutDir, bool Trace, TimeSpan? Timeout,
        bool Reduce, bool FirstViolation, int Workers, bool StopAtFirst);

    /// <summary>
    /// One variant explored, and where. Cancelled, the engine returns what it finished; that partial result is
    /// summarised as INCOMPLETE, and its witnesses are saved unshrunk (shrinking could take as long again).
    /// </summary>
    static async Task<(ExploredVariant, Placement)> ExploreOne(ScenarioModel model, Settings o, IEngineHost host, CancellationToken cancel)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var metrics = new CampaignMetrics();
        BatchResult result;
        long states;
        (long Transitions, int? Depth)? graph = null;
        bool exhausted;
        string? incomplete = null;
        IReadOnlyDictionary<string, int> batches = new Dictionary<string, int>(), partitions = new Dictionary<string, int>();
        int restarts = 0;
        bool again = false;
        string engine = Naming.Kebab(host.Kind);
        // Named as the summary's header names it, --set's switches included: until the end the progress is all there is to see.
        string label = $" under {VariantLabel.Of(model.Variant)}";
        var spec = ScenarioSpec.From(model, o.WorkloadPath);
        if (o.Strategy == StrategyKind.Exhaustive)
        {
            var search = await ProgressDisplay.RunAsync($"exploring every allowed order on the {engine} engine{label}", 0, metrics,
                p => host.ExhaustiveAsync(spec, o.Timeout, p, cancel, o.Reduce, o.FirstViolation, o.Workers, o.StopAtFirst));
            (result, states, exhausted, incomplete, partitions, restarts, again) = (search.Search.Result, search.Search.States, search.Search.Exhausted,
                search.Search.IncompleteReason, search.PartitionsBySilo, search.Restarts, search.Search.Again);
            graph = (search.Search.Result.Steps, search.Search.Depth);
        }
        else
        {
            var campaign = await ProgressDisplay.RunAsync($"{Plural.Count(o.Runs, "random run")} on the {engine} engine{label}", o.Runs, metrics, p => host.RandomAsync(spec, o.Seed, o.Runs, p, cancel));
            (result, batches) = (campaign.Result, campaign.BatchesBySilo);
            states = result.Steps;
            exhausted = false;
            if (cancel.IsCancellationRequested) incomplete = VerdictWords.Cancelled;
            else if (o.SampleRate > 0) TraceSample(model, o, cancel);
        }
        metrics.Completed(result, states);

        var findings = new List<Finding>();
        ulong seed = o.Strategy == StrategyKind.Random ? o.Seed : 0;
        // A stop cuts the shrink under way short (its smallest run so far is saved), and the kinds after it are saved as
        // found, unshrunk (an investigation stopped before it starts is one replay), as Spin keeps its trail.
        var witnesses = result.Witnesses.Values.OrderBy(w => w.Kind).ToList();
        foreach (var (witness, i) in witnesses.Select((w, i) => (w, i)))
        {
            // A search's witness is a shortest path already, never shrunk.
            if (o.Strategy == StrategyKind.Random)
                Console.Error.WriteLine(Finding.ShrinkLine(witness, i + 1, witnesses.Count, cancel.IsCancellationRequested));
            findings.Add(await Investigate(spec, o, seed, witness, host, cancel));
        }
        if (cancel.IsCancellationRequested) incomplete = VerdictWords.Cancelled;
        var refs = findings.Select(f => new CounterexampleRef(f.Counterexample.Kind, f.Counterexample.Detail, f.Counterexample.Seed, f.Counterexample.RunIndex,
            f.Counterexample.TraceHash, f.Counterexample.Steps, f.Written.File, f.Written.Replay, f.Counterexample.StepsBeforeShrink, f.Written.Chart, f.TraceId,
            f.Counterexample.ShrinkCutShort, f.NotSaved, f.ChartNotSaved)).ToList();
        var summary = new ExploreSummary(model.Variant.Preset, Variants.Describe(model.Variant).ToList(), model.Workload.Name, Naming.Kebab(o.Strategy), engine, o.Seed,
            result.Runs, states, exhausted, result.Truncated, JsonOut.ByKey(result.ViolationsByKind.Select(kv => KeyValuePair.Create(Naming.Kebab(kv.Key), kv.Value))), refs, JsonOut.ByKey(result.Outcomes),
            Explorer.Branches(result.Coverage, true).ToList(), Explorer.Branches(result.Coverage, false).ToList(), clock.Elapsed.TotalSeconds, incomplete,
            model.Variant.Loads == Loads.InOrder, model.OwnerProdWaitsStrongerThanArmv8, !o.Reduce,
            o.Strategy == StrategyKind.Exhaustive && o.FirstViolation, graph?.Transitions, graph?.Depth, model.WorkloadLoadsStrongerThanArmv8,
            model.ValidMapPollStrongerThanArmv8, model.SmmuStricterThanSmmuV3, model.MsiSurvivesPowerOff,
            model.RmwWritesStrongerThanArmv8, model.RegisterReadsMayBeUnknown(result.Coverage), model.ConsWritebackUnsourced);
        string where = o.Strategy == StrategyKind.Exhaustive && host.Kind == EngineKind.Local
            ? $"this process, {(o.Workers == 1 ? "one worker thread" : $"{o.Workers} worker threads")}" : host.Where;
        return (new ExploredVariant(summary, findings), new Placement(engine, where, batches, partitions, restarts, again));
    }

    /// <summary>
    /// The engine shrinks the witness and replays the counterexample (traced when tracing is on); this
    /// process only saves the counterexample and draws its chart. After a stop the counterexample is saved unreplayed, with
    /// no chart: one run of a long workload takes seconds, and `replay` checks it and tells its story.
    /// </summary>
    static async Task<Finding> Investigate(ScenarioSpec spec, Settings o, ulong seed, Witness witness, IEngineHost host, CancellationToken cancel)
    {
        var cx = await host.InvestigateAsync(spec, o.Strategy, seed, witness, cancel);
        using var span = o.Trace && !cancel.IsCancellationRequested ? SmmuTelemetry.StartCommand("counterexample") : null;
        span?.SetTag(SmmuAttributes.ViolationKind, cx.Kind);
        var replay = await Replayed(cx, host, cancel);
        if (replay is not null && replay.TraceHash != cx.TraceHash)
            throw new InvalidOperationException($"the {cx.Kind} counterexample replayed with trace hash {replay.TraceHash}, not its recorded {cx.TraceHash}: the engine is not deterministic");
        var model = cx.Spec.Build();
        string file = Path.Combine(o.OutDir, Counterexample.FileName(model.Variant, model.Workload.Name, cx.Kind));
        string chart = Path.ChangeExtension(file, ".svg");
        return new Finding(cx, model, replay, file, chart, Finding.ReplayCommandFor(file), span?.TraceId.ToString()).Save();
    }

    /// <summary>The counterexample's recorded replay, for its chart and story; null when a stop comes first, or cuts it.</summary>
    static async Task<RunResult?> Replayed(Counterexample cx, IEngineHost host, CancellationToken cancel)
    {
        if (cancel.IsCancellationRequested) return null;
        try
        {
            var replay = await host.RunAsync(cx.Spec, cx.Recorded(), cx.RunIndex, cancel);
            return replay.Pruned ? null : replay;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { return null; }
    }

    /// <summary>
    /// Re-runs every ceil(1/rate)-th run of the campaign traced; a run is fixed by its seed and index, so this is the same
    /// run. Names the first few runs' trace ids, as a counterexample's is named, so they can be found in the viewer.
    /// </summary>
    static void TraceSample(ScenarioModel model, Settings o, CancellationToken cancel)
    {
        const int Named = 5;
        long stride = Math.Max(1, (long)Math.Ceiling(1 / o.SampleRate));
        long traced = 0;
        var ids = new List<string>();
        for (long i = 0; i < o.Runs; i += stride, traced++)
        {
            cancel.ThrowIfCancellationRequested();
            var tracer = new ScenarioTracer(model, Naming.Kebab(StrategyKind.Random), o.Seed, i);
            LocalEngine.Run(model, RandomBatch.Strategy(model, o.Seed, i), observer: tracer);
            if (ids.Count < Named && tracer.TraceId is { } id) ids.Add($"run {i:N0} {id}");
        }
        string which = stride == 1 ? "every run" : $"1 run in {stride:N0}";
        string named = ids.Count == 0 ? "" : $"; trace ids: {string.Join(", ", ids)}{(traced > ids.Count ? ", ..." : "")}";
        Console.Error.WriteLine($"traced {Plural.Count(traced, "sampled run")} ({which}){named}");
    }
}
