using SmmuActors.Tests.Support;
using SmmuActors.Model.Sim;
using System.Diagnostics.Metrics;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Telemetry;

namespace SmmuActors.Tests.Telemetry;

/// <summary>
/// A campaign's progress and result reach the instruments exactly once each. In the "cli"
/// collection, so no CLI test records into the same process-wide instruments meanwhile.
/// </summary>
[Collection("cli")]
[Trait("Suite", "Fast")]
public class MetricsTests
{
    [Fact]
    public void CampaignCountsEveryRunStateDeliveryAndViolationOnce()
    {
        var totals = new Dictionary<string, long>();
        var byKind = new Dictionary<string, long>();
        double rate = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == SmmuTelemetry.Name) l.EnableMeasurementEvents(i); };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
        {
            totals[i.Name] = totals.GetValueOrDefault(i.Name) + v;
            foreach (var t in tags)
                if (t.Key == SmmuAttributes.ViolationKind) byKind[(string)t.Value!] = byKind.GetValueOrDefault((string)t.Value!) + v;
        });
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => rate = v);
        listener.Start();

        var metrics = new CampaignMetrics();
        metrics.Report(new ExploreProgress(10, 30, 0, 100));
        metrics.Report(new ExploreProgress(25, 30, 1, 300));
        metrics.Report(new ExploreProgress(25, 30, 1, 300));
        var result = new BatchResult { Runs = 30, Steps = 500, ViolationsByKind = { [ViolationKind.StaleTranslation] = 2, [ViolationKind.LostCommand] = 1 } };
        metrics.Completed(result, 400);
        listener.RecordObservableInstruments();

        Assert.Equal(30, totals[SmmuTelemetry.Instruments.Runs]);
        Assert.Equal(400, totals[SmmuTelemetry.Instruments.StatesExplored]);
        Assert.Equal(500, totals[SmmuTelemetry.Instruments.Deliveries]);
        Assert.Equal(3, totals[SmmuTelemetry.Instruments.Violations]);
        Assert.Equal(2, byKind["stale-translation"]);
        Assert.Equal(1, byKind["lost-command"]);
        Assert.True(rate > 0, "30 runs were completed, so the rate since the last sample is positive");
    }
}
