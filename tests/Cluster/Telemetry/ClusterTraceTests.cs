using SmmuActors.Tests.Grains;
using SmmuActors.Tests.Support;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SmmuActors.Contracts;
using SmmuActors.Grains.Execution;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Telemetry;

namespace SmmuActors.Tests.Telemetry;

/// <summary>
/// Traced runs on the 2-silo cluster: the client's span, Orleans' grain-call spans, the fabric
/// grains' scenario spans and their delivery spans share one trace id, each linked to its parent.
/// Lane i is placed on silo i mod 2, so lanes 0 and 1 put the same trace on both silos.
/// </summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public class ClusterTraceTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task ClientFabricAndComponentCallsShareOneTrace()
    {
        var exported = new List<Activity>();
        var cx = RaceWitness.Saved();
        var scenario = ScenarioSpec.From(RaceWitness.Shrunk.Model, cx.WorkloadPath);
        ActivityTraceId traceId;
        string group = $"telemetry-{Guid.NewGuid():N}";
        var lanes = new[] { fixture.Client.GetGrain<IFabricGrain>(0, group), fixture.Client.GetGrain<IFabricGrain>(1, group) };
        var runs = new List<RunResult>();
        using (var provider = Sdk.CreateTracerProviderBuilder().SetSampler(new OwnRootsSampler())
                   .AddSource(SmmuTelemetry.Name).AddSource(SmmuTelemetry.OrleansSources).AddInMemoryExporter(exported).Build())
        {
            using (var command = SmmuTelemetry.StartCommand("replay")!)
            {
                traceId = command.TraceId;
                foreach (var lane in lanes) runs.Add(await lane.Run(scenario, cx.Replaying));
            }
            provider.ForceFlush();
        }
        // Retired outside the command's span: deactivation is not part of the run's trace.
        foreach (var lane in lanes) await lane.Retire();
        Assert.All(runs, r => Assert.Equal(cx.TraceHash, r.TraceHash));

        List<Activity> spans;
        lock (exported) spans = exported.Where(a => a.TraceId == traceId).ToList();
        var bySpanId = spans.ToDictionary(a => a.SpanId);
        var root = Assert.Single(spans, a => a.ParentSpanId == default);
        Assert.Equal("smmu-actors replay", root.DisplayName);
        // Every other span's parent is in the same trace: nothing was cut off at a silo boundary.
        Assert.All(spans.Where(a => a != root), a => Assert.True(bySpanId.ContainsKey(a.ParentSpanId), $"{a.Source.Name} {a.DisplayName}: parent missing"));

        var scenarioSpans = spans.Where(a => a.Source.Name == SmmuTelemetry.Name && a.GetTagItem(SmmuAttributes.Workload) is not null).ToList();
        Assert.Equal(2, scenarioSpans.Count);
        foreach (var scenarioSpan in scenarioSpans)
        {
            Assert.Equal("violation", scenarioSpan.GetTagItem(SmmuAttributes.Verdict));
            // The scenario span hangs under the Orleans server span of the fabric's Run call.
            Assert.Equal("Microsoft.Orleans.Application", bySpanId[scenarioSpan.ParentSpanId].Source.Name);
            var deliveries = spans.Where(a => a.ParentSpanId == scenarioSpan.SpanId && a.Source.Name == SmmuTelemetry.Name).ToList();
            Assert.Equal(runs[0].Steps, deliveries.Count);
            Assert.Single(deliveries, d => d.Events.Any(e => e.Name == SmmuAttributes.ViolationEvent));
            // The component grains' deliveries are Orleans calls under the scenario span, in the same trace.
            Assert.Contains(spans, a => a.Source.Name == "Microsoft.Orleans.Application" && a.ParentSpanId == scenarioSpan.SpanId);
        }
        // Grains of this one trace were activated on both silos.
        var silos = spans.Where(a => a.Source.Name == "Microsoft.Orleans.Lifecycle").Select(a => a.GetTagItem("orleans.silo.id")).OfType<string>().Distinct();
        Assert.Equal(2, silos.Count());
    }
}
