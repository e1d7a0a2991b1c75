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

/// <summary>`replay FILE`: re-runs a saved counterexample from its choices and checks its trace hash.</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "a counterexample JSON written by explore" };
        var json = ScenarioInput.Json();
        var engine = EngineInput.Engine();
        var cluster = new ClusterInput();
        var trace = TraceInput.Trace("the replayed run");
        var otlp = TraceInput.Otlp();
        var orleansSpans = TraceInput.OrleansSpans();
        var cmd = new Command("replay", "re-run a saved counterexample and check that it reproduces (same trace hash)")
        {
            file, json, engine, cluster.Gateways, cluster.Redis, trace, otlp, orleansSpans,
        };
        cmd.SetAction(async (pr, cancel) =>
        {
            var path = pr.GetValue(file)!;
            InputException.ThrowIfEmpty(path, "replay FILE");
            Counterexample cx;
            ScenarioModel model;
            try
            {
                // Off this thread, so a stop need not wait for it: a file of two million choices took 1.4 s to read and check.
                (cx, model) = await Task.Run(() =>
                {
                    var read = Counterexample.Load(path);
                    return (read, new ScenarioModel(read.BuildWorkload(path), read.BuildVariant(path)));
                }).WaitAsync(cancel);
            }
            catch (WorkloadException e) { throw new InputException(e.Message); }
            var engineKind = EngineInput.Resolve(pr.GetValue(engine), cluster.Read(pr, pr.GetValue(engine)));
            var telemetryOptions = TraceInput.Options(pr.GetValue(trace), pr.GetValue(otlp), engineKind, pr.GetValue(orleansSpans));
            using var telemetry = TelemetrySetup.Start(telemetryOptions);
            using var span = telemetryOptions.Enabled ? SmmuTelemetry.StartCommand("replay") : null;
            span?.SetTag(SmmuAttributes.Counterexample, path);
            span?.SetTag(SmmuAttributes.ViolationKind, cx.Kind);
            span?.SetTag(SmmuAttributes.Seed, (long)cx.Seed);
            span?.SetTag(SmmuAttributes.RunIndex, cx.RunIndex);
            await using var host = await TracedEngine.CreateAsync(engineKind, cluster.Read(pr, pr.GetValue(engine)), telemetryOptions.Enabled, cancel);
            // Progress on standard error, as run's: a long counterexample's replay can take seconds.
            Console.Error.WriteLine($"replaying {path} on the {Naming.Kebab(host.Kind)} engine...");
            RunResult result;
            try { result = await host.RunAsync(ScenarioSpec.From(model, cx.WorkloadPath), cx.Recorded(), cx.RunIndex, cancel); }
            catch (ReplayMismatchException e) { throw new InputException($"{path}: the recorded choices do not fit this workload and variant: {e.Message}"); }
            if (!result.Pruned) SmmuMetrics.RecordRun(result);
            // Named by the switches that ran, as explore names it: the file's settings may add to its preset's, or replace them.
            TimelineView.Headline(AnsiConsole.Console, result, "replay", Markup.Escape(
                $"replaying {cx.Kind} on {cx.Workload} under {VariantLabel.Of(model.Variant)} ({Plural.Count(cx.Choices.Count, "choice")}, {Naming.Kebab(host.Kind)} engine)"));
            if (cx.StepsBeforeShrink is null && cx.ShrinkCutShort == true)
                AnsiConsole.MarkupLine("[grey]not shrunk: saved as found, its shrink stopped (or its silo lost) before it replayed it; a smaller run may exist[/]");
            if (cx.StepsBeforeShrink is { } before)
                AnsiConsole.MarkupLineInterpolated($"[grey]shrunk: {before} -> {Plural.Count(cx.Steps, "step")}, {cx.DelaysBeforeShrink} -> {cx.Delays} {Plural.Noun(cx.Delays ?? 0, "delay")} above the minimum, {cx.OpsBeforeShrink} -> {cx.Ops} {Plural.Noun(cx.Ops ?? 0, "operation")}{(cx.ShrinkCutShort == true ? " (shrinking was cut short: a smaller run may exist)" : "")}[/]");
            TimelineView.Details(AnsiConsole.Console, result);
            if (result.Pruned)
            {
                int cut = Cut(cx, model, result, path, pr.GetValue(json));
                if (span is not null) AnsiConsole.MarkupLineInterpolated($"[grey]trace id {span.TraceId}[/]");
                return cut;
            }
            bool sameHash = result.TraceHash == cx.TraceHash;
            // The steps too: a file whose steps were edited replayed as reproduced, with its own count printed beside the run's.
            bool same = sameHash && result.Steps == cx.Steps;
            bool kind = result.Violations.Any(v => v.KindName == cx.Kind);
            AnsiConsole.MarkupLine(sameHash
                ? $"[green]trace hash matches the recording ({cx.TraceHash})[/]"
                : $"[red]trace hash MISMATCH: recorded {cx.TraceHash}, replayed {result.TraceHash}[/]");
            if (result.Violations.Count > 0 && !StoryView.Write(AnsiConsole.Console, model, result, cx.Kind, cancel))
                AnsiConsole.MarkupLine($"[grey]{StoryView.StoppedNote}[/]");
            bool whole = TimelineView.Write(AnsiConsole.Console, model, result, cancel: cancel);
            if (span is not null) AnsiConsole.MarkupLineInterpolated($"[grey]trace id {span.TraceId}[/]");
            JsonOut.Write(pr.GetValue(json), Json(cx, model, result, path, same && kind));
            if (!kind || !same)
            {
                Console.Error.WriteLine($"error: {path} was not reproduced: {NotReproduced(cx, result, same)}");
                return 2;
            }
            return !whole ? Cli.Incomplete : result.Violations.Count == 0 ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>
    /// A replay a stop ended before the recording's end: neither reproduced nor not, so no hash is compared (a prefix's
    /// differs), no story told, and the JSON has no <c>reproduced</c>.
    /// </summary>
    static int Cut(Counterexample cx, ScenarioModel model, RunResult result, string path, string? json)
    {
        AnsiConsole.MarkupLineInterpolated($"[yellow]not checked: the stop came at step {result.Steps:N0} of the recorded {cx.Steps:N0}[/]");
        JsonOut.Write(json, Json(cx, model, result, path, reproduced: null));
        return Cli.Incomplete;
    }

    static Dictionary<string, object?> Json(Counterexample cx, ScenarioModel model, RunResult result, string path, bool? reproduced)
    {
        var output = JsonOut.Run(model, "replay", cx.Seed, result);
        output["file"] = path;
        output["kind"] = cx.Kind;
        output["recordedTraceHash"] = cx.TraceHash;
        if (reproduced is { } r) output["reproduced"] = r;
        return output;
    }

    /// <summary>Why a replay did not reproduce its recording, in terms of what the file recorded.</summary>
    static string NotReproduced(Counterexample cx, RunResult result, bool sameTrace)
    {
        string found = result.Violations.Count == 0 ? "no violation" : string.Join(", ", result.Violations.Select(v => v.KindName).Distinct());
        string kind = result.Violations.Any(v => v.KindName == cx.Kind) ? $"the recorded {cx.Kind} occurred" : $"the recorded {cx.Kind} did not occur (the replay found {found})";
        if (sameTrace) return kind;
        if (result.TraceHash == cx.TraceHash)
            return $"{kind}, and the run took {Plural.Count(result.Steps, "step")}, the same path as recorded (traceHash {cx.TraceHash}), where the file says {cx.Steps}: its steps were edited";
        return $"{kind}, and the run took another path than the recorded one (traceHash {cx.TraceHash}, replayed {result.TraceHash}): "
               + "the file's choices, settings, workloadText or traceHash were edited, or the model changed since it was recorded";
    }
}
