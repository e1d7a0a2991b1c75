using SmmuActors.Client.Rendering;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Telemetry;

namespace SmmuActors.Client;

/// <summary>A counterexample ready to show: shrunk, saved with its chart, and its run with the full trace.</summary>
public sealed record Witness(Counterexample Counterexample, ScenarioModel Model, RunResult Run, string File, string ChartFile, string Replay, string? TraceId)
{
    /// <summary>
    /// Shrinks the violating run, saves the counterexample and its SVG chart beside it, and replays
    /// the saved file once with its trace recorded (and exported as a trace when asked).
    /// </summary>
    public static Witness Capture(ScenarioModel model, string workloadPath, string strategy, ulong seed, long runIndex,
        IReadOnlyList<long> choices, string kind, string outDir, bool trace)
    {
        var k = ViolationKinds.Parse(kind);
        var shrunk = Shrinker.Shrink(model, choices, k);
        var cx = Counterexample.CaptureShrunk(shrunk, workloadPath, strategy, seed, runIndex, k);
        string file = Path.Combine(outDir, $"{model.Variant.Preset}-{model.Workload.Name}-{kind}.json");
        cx.Save(file);
        var tracer = trace ? new ScenarioTracer(shrunk.Model, strategy, seed, runIndex) : null;
        var run = LocalEngine.Run(shrunk.Model, new ReplayStrategy(cx.Choices, shrunk.Model.Workload.Delays), recordTrace: true, observer: tracer);
        string chart = Path.ChangeExtension(file, ".svg");
        AtomicFile.WriteAllText(chart, SequenceChart.Render(shrunk.Model, run, Title(cx)).ToString());
        return new Witness(cx, shrunk.Model, run, file, chart, $"dotnet run --project client -c Release -- replay {file}", tracer?.TraceId?.ToString());
    }

    public static string Title(Counterexample cx) =>
        $"{cx.Kind}: {cx.Workload} under {cx.Variant}, {cx.Steps} steps" + (cx.StepsBeforeShrink is { } before && before != cx.Steps ? $" (shrunk from {before})" : "");
}
