using SmmuActors.Reports;
using SmmuActors.Model.Sim;
using System.CommandLine;
using SmmuActors.Client.Engines;
using SmmuActors.Client.Rendering;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Telemetry;
using Spectre.Console;

namespace SmmuActors.Client.Commands;

/// <summary>`run`: one execution with a seeded random strategy, its timeline and its verdict.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var variant = ScenarioInput.Variant();
        var set = ScenarioInput.Set();
        var workload = ScenarioInput.Workload();
        var seed = ScenarioInput.Seed();
        var json = ScenarioInput.Json();
        var engine = EngineInput.Engine();
        var cluster = new ClusterInput();
        var branches = new Option<bool>("--branches") { Description = "also show the protocol branches each step took" };
        var trace = TraceInput.Trace("the run");
        var otlp = TraceInput.Otlp();
        var orleansSpans = TraceInput.OrleansSpans();
        var cmd = new Command("run", "run one execution and print its timeline and verdict")
        {
            variant, set, workload, seed, json, engine, cluster.Gateways, cluster.Redis, branches, trace, otlp, orleansSpans,
        };
        cmd.SetAction(async (pr, cancel) =>
        {
            var model = ScenarioInput.Build(pr.GetValue(variant)!, pr.GetValue(set)!, pr.GetValue(workload)!);
            ScenarioInput.SayRenamed([pr.GetValue(variant)!], pr.GetValue(set)!, [model]);
            ScenarioInput.SayIdle(pr.GetValue(set)!, [model]);
            var engineKind = EngineInput.Resolve(pr.GetValue(engine), cluster.Read(pr, pr.GetValue(engine)));
            var telemetryOptions = TraceInput.Options(pr.GetValue(trace), pr.GetValue(otlp), engineKind, pr.GetValue(orleansSpans));
            using var telemetry = TelemetrySetup.Start(telemetryOptions);
            using var span = telemetryOptions.Enabled ? SmmuTelemetry.StartCommand("run") : null;
            await using var host = await TracedEngine.CreateAsync(engineKind, cluster.Read(pr, pr.GetValue(engine)), telemetryOptions.Enabled, cancel);
            var spec = ScenarioSpec.From(model, pr.GetValue(workload)!);
            // Progress on standard error, as explore's: a long workload's run can take seconds.
            Console.Error.WriteLine($"running {model.Workload.Name} under {VariantLabel.Of(model.Variant)} on the {Naming.Kebab(host.Kind)} engine...");
            var result = await host.RunAsync(spec, StrategySpec.Random(pr.GetValue(seed)), runIndex: null, cancel);
            if (!result.Pruned) SmmuMetrics.RecordRun(result);
            TimelineView.Headline(AnsiConsole.Console, result, "random", Markup.Escape(
                $"{model.Workload.Name} under {VariantLabel.Of(model.Variant)}, seed {pr.GetValue(seed)}, {Naming.Kebab(host.Kind)} engine"));
            TimelineView.Details(AnsiConsole.Console, result);
            bool whole = TimelineView.Write(AnsiConsole.Console, model, result, pr.GetValue(branches), cancel);
            if (span is not null) AnsiConsole.MarkupLineInterpolated($"[grey]trace id {span.TraceId}[/]");
            JsonOut.Write(pr.GetValue(json), JsonOut.Run(model, "random", pr.GetValue(seed), result));
            return !whole ? Cli.Incomplete : result.Violations.Count == 0 ? 0 : 1;
        });
        return cmd;
    }
}
