using System.CommandLine;
using SmmuActors.Client.Engines;
using SmmuActors.Client.Rendering;
using SmmuActors.Model.Engine;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Protocol;
using SmmuActors.Model.Scenario;
using Spectre.Console;

namespace SmmuActors.Client.Commands;

/// <summary>`explore`: many executions; a summary, and one replayable counterexample per violation kind.</summary>
public static class ExploreCommand
{
    public static Command Create()
    {
        var variant = ScenarioInput.Variant();
        var set = ScenarioInput.Set();
        var workload = ScenarioInput.Workload();
        var seed = ScenarioInput.Seed();
        var json = ScenarioInput.Json();
        var engine = EngineInput.Engine();
        var cluster = EngineInput.Cluster();
        var strategy = new Option<string>("--strategy")
        {
            Description = "random (seeded runs) or exhaustive (every choice sequence within the workload's bounds)",
            DefaultValueFactory = _ => "random",
        };
        strategy.AcceptOnlyFromAmong("random", "exhaustive");
        var runs = new Option<long>("--runs", "-n")
        {
            Description = "random: number of runs; exhaustive: stop after this many executions (0 = until the space is exhausted)",
            DefaultValueFactory = _ => -1,
        };
        var outDir = new Option<string>("--out")
        {
            Description = "directory for counterexample files",
            DefaultValueFactory = _ => "counterexamples",
        };
        var cmd = new Command("explore", "explore many executions of a workload under a variant and report every kind of violation")
        {
            variant, set, workload, strategy, runs, seed, json, outDir, engine, cluster,
        };
        cmd.SetAction(async (pr, cancel) =>
        {
            string workloadPath = pr.GetValue(workload)!;
            var model = ScenarioInput.Build(pr.GetValue(variant)!, pr.GetValue(set)!, workloadPath);
            string strat = pr.GetValue(strategy)!;
            long n = pr.GetValue(runs);
            if (n < -1 || (n == 0 && strat == "random")) throw new InputException($"--runs: {n} is not a positive number of runs");
            ulong s = pr.GetValue(seed);
            var spec = ScenarioSpec.From(model, workloadPath);
            var clock = System.Diagnostics.Stopwatch.StartNew();

            BatchResult result;
            long states;
            bool exhausted;
            string engineName;
            var witnesses = new Dictionary<string, IReadOnlyList<long>>();
            if (strat == "exhaustive")
            {
                // Exhaustive search re-executes from the start for every choice sequence: it runs on the local engine.
                engineName = "local";
                (result, witnesses, states, exhausted) = await WithProgress("exploring the bounded space", n > 0 ? n : 0,
                    p => Task.Run(() => Explorer.Exhaustive(model, n, p, cancel), cancel));
            }
            else
            {
                if (n < 0) n = 100_000;
                await using var host = await EngineFactory.CreateAsync(pr.GetValue(engine)!, pr.GetValue(cluster), cancel);
                engineName = host.Name;
                result = await WithProgress($"{n:N0} random runs on the {host.Name} engine", n, p => host.RandomAsync(spec, s, n, p, cancel));
                states = result.Steps;
                exhausted = false;
                foreach (var (kind, index) in result.FirstRunByKind)
                    witnesses[kind] = LocalEngine.Run(model, RandomBatch.Strategy(model, s, index), recordChoices: true).Choices!;
            }

            var refs = new List<CounterexampleRef>();
            foreach (var (kind, choices) in witnesses.OrderBy(w => w.Key))
            {
                long index = result.FirstRunByKind[kind];
                var cx = Counterexample.Capture(model, workloadPath, strat, strat == "random" ? s : 0, index, choices, ViolationKinds.Parse(kind));
                string file = Path.Combine(pr.GetValue(outDir)!, $"{model.Variant.Preset}-{model.Workload.Name}-{kind}.json");
                cx.Save(file);
                refs.Add(new CounterexampleRef(kind, cx.Detail, cx.Seed, index, cx.TraceHash, cx.Steps, file,
                    $"dotnet run --project client -c Release -- replay {file}"));
            }
            var summary = new ExploreSummary(model.Variant.Preset, Variants.Describe(model.Variant).ToList(), model.Workload.Name, strat, engineName, s,
                result.Runs, states, exhausted, result.Truncated, result.ViolationsByKind, refs, result.Outcomes,
                Explorer.Branches(result.Coverage, true).ToList(), Explorer.Branches(result.Coverage, false).ToList(), clock.Elapsed.TotalSeconds);
            SummaryView.Write(AnsiConsole.Console, summary);
            JsonOut.Write(pr.GetValue(json), summary);
            return result.ViolationsByKind.Count == 0 ? 0 : 1;
        });
        return cmd;
    }

    static async Task<T> WithProgress<T>(string title, long total, Func<IProgress<ExploreProgress>, Task<T>> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]{title}...[/]");
            return await work(new Progress<ExploreProgress>());
        }
        T value = default!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(title, maxValue: total > 0 ? total : 1);
                if (total <= 0) task.IsIndeterminate = true;
                var started = DateTime.UtcNow;
                var progress = new Progress<ExploreProgress>(p =>
                {
                    double rate = p.Done / Math.Max(0.001, (DateTime.UtcNow - started).TotalSeconds);
                    task.Description = $"{title}: {p.Done:N0} runs, {rate:N0}/s, {p.Violations:N0} violations, {p.States:N0} states";
                    if (total > 0) task.Value = p.Done;
                });
                value = await work(progress);
                task.Value = task.MaxValue;
                task.StopTask();
            });
        return value;
    }
}
