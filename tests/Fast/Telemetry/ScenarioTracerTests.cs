using SmmuActors.Tests.Support;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Telemetry;

namespace SmmuActors.Tests.Telemetry;

/// <summary>A traced scenario on the local engine: one trace, a delivery span per step under the scenario span, the attributes a reader needs.</summary>
[Trait("Suite", "Fast")]
public class ScenarioTracerTests
{
    /// <summary>Runs the shrunk race traced into an in-memory exporter; returns the run and its spans (other tests' spans filtered out by trace id).</summary>
    static (RunResult Run, Activity Root, List<Activity> Deliveries) TracedRace()
    {
        var exported = new List<Activity>();
        ScenarioTracer tracer;
        RunResult run;
        using (var provider = Sdk.CreateTracerProviderBuilder().AddSource(SmmuTelemetry.Name).AddInMemoryExporter(exported).Build())
        {
            tracer = new ScenarioTracer(RaceWitness.Shrunk.Model, "exhaustive", 7, runIndex: 3);
            run = RaceWitness.Replay(tracer);
        }
        var traceId = tracer.TraceId ?? throw new InvalidOperationException("the tracer made no span although a listener was registered");
        var mine = exported.Where(a => a.TraceId == traceId).ToList();
        var root = Assert.Single(mine, a => a.ParentSpanId == default);
        return (run, root, mine.Where(a => a != root).OrderBy(a => (long)a.GetTagItem(SmmuAttributes.Step)!).ToList());
    }

    [Fact]
    public void OneTraceOneRootAndASpanPerDeliveryUnderIt()
    {
        var (run, root, deliveries) = TracedRace();
        Assert.Equal(run.Steps, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(root.SpanId, d.ParentSpanId));
        Assert.All(deliveries, d => Assert.Equal(root.TraceId, d.TraceId));
        Assert.Equal(Enumerable.Range(1, (int)run.Steps).Select(i => (long)i), deliveries.Select(d => (long)d.GetTagItem(SmmuAttributes.Step)!));
    }

    [Fact]
    public void ScenarioSpanCarriesVariantWorkloadSeedAndVerdict()
    {
        var (run, root, _) = TracedRace();
        Assert.Equal("as-posted", root.GetTagItem(SmmuAttributes.Variant));
        Assert.Equal("reviewer-race", root.GetTagItem(SmmuAttributes.Workload));
        Assert.Equal(7L, root.GetTagItem(SmmuAttributes.Seed));
        Assert.Equal(3L, root.GetTagItem(SmmuAttributes.RunIndex));
        Assert.Equal("violation", root.GetTagItem(SmmuAttributes.Verdict));
        Assert.Equal(run.TraceHash, root.GetTagItem(SmmuAttributes.TraceHash));
        Assert.Equal(ActivityStatusCode.Error, root.Status);
    }

    [Fact]
    public void DeliverySpansCarryTheMessageAndItsVirtualTimes()
    {
        var (run, _, deliveries) = TracedRace();
        var entries = run.Trace!.Entries;
        for (int i = 0; i < entries.Count; i++)
        {
            var m = entries[i].Message;
            var d = deliveries[i];
            var names = RaceWitness.Shrunk.Model.Names;
            Assert.Equal(names.Actor(m.Src), d.GetTagItem(SmmuAttributes.Source));
            Assert.Equal(names.Actor(m.Dst), d.GetTagItem(SmmuAttributes.Target));
            Assert.Equal(m.SendTime, d.GetTagItem(SmmuAttributes.SendTime));
            Assert.Equal(m.Time, d.GetTagItem(SmmuAttributes.DeliveryTime));
            Assert.Equal(m.Delay, d.GetTagItem(SmmuAttributes.Delay));
            Assert.NotNull(d.GetTagItem(SmmuAttributes.Message));
        }
        // The race's overtaken message: cpu0's PTE store, delivered long after it was sent.
        var late = Assert.Single(deliveries, d => (string)d.GetTagItem(SmmuAttributes.Message)! == "store pte[A]");
        Assert.True((long)late.GetTagItem(SmmuAttributes.Delay)! > RaceWitness.Model.Workload.Delays.Max);
    }

    [Fact]
    public void ViolationIsAnEventOnTheSpanOfTheStepThatDetectedIt()
    {
        var (run, _, deliveries) = TracedRace();
        var v = Assert.Single(run.Violations);
        var withEvent = Assert.Single(deliveries, d => d.Events.Any(e => e.Name == SmmuAttributes.ViolationEvent));
        Assert.Equal(v.Step, withEvent.GetTagItem(SmmuAttributes.Step));
        var e = withEvent.Events.Single(e => e.Name == SmmuAttributes.ViolationEvent);
        Assert.Equal("stale-translation", e.Tags.Single(t => t.Key == SmmuAttributes.ViolationKind).Value);
        Assert.Equal(ActivityStatusCode.Error, withEvent.Status);
        // A stale translation is only usable with the SMMU on: the span says SMMUEN=1 at that moment.
        Assert.Equal(true, withEvent.GetTagItem(SmmuAttributes.SmmuEn));
    }

    [Fact]
    public void StopAndSmmuEnFollowTheSuspendAndResume()
    {
        var (_, _, deliveries) = TracedRace();
        var stop = deliveries.Select(d => (bool)d.GetTagItem(SmmuAttributes.Stop)!).ToList();
        var en = deliveries.Select(d => (bool)d.GetTagItem(SmmuAttributes.SmmuEn)!).ToList();
        // Suspend: SMMUEN goes to 0, then STOP is set; resume: STOP cleared, SMMUEN back to 1.
        int disabled = en.IndexOf(false), stopped = stop.IndexOf(true);
        Assert.True(disabled >= 0 && stopped > disabled);
        int cleared = stop.IndexOf(false, stopped), enabled = en.IndexOf(true, disabled);
        Assert.True(cleared > stopped && enabled > cleared);
    }
}
