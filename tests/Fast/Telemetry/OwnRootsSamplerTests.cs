using SmmuActors.Tests.Support;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SmmuActors.Telemetry;

namespace SmmuActors.Tests.Telemetry;

/// <summary>Only SmmuActors' own roots start a trace; a foreign root (an Orleans campaign call) is dropped with everything under it.</summary>
[Trait("Suite", "Fast")]
public class OwnRootsSamplerTests
{
    static readonly ActivitySource Foreign = new("SmmuActors.Tests.Foreign");

    [Fact]
    public void KeepsOwnRootsAndTheirChildrenDropsForeignRootsAndTheirs()
    {
        var exported = new List<Activity>();
        ActivityTraceId kept, dropped;
        using (Sdk.CreateTracerProviderBuilder().SetSampler(new OwnRootsSampler()).AddSource(SmmuTelemetry.Name, Foreign.Name).AddInMemoryExporter(exported).Build())
        {
            using (var command = SmmuTelemetry.StartCommand("run")!)
            {
                kept = command.TraceId;
                using var call = Foreign.StartActivity("IFabricGrain/Run");
                Assert.True(call!.Recorded);
            }
            using (var campaign = Foreign.StartActivity("ICampaignGrain/Start")!)
            {
                dropped = campaign.TraceId;
                Assert.False(campaign.Recorded);
                using var delivery = SmmuTelemetry.Source.StartActivity("cpu0 -> memory store pte[A]");
                Assert.False(delivery?.Recorded ?? false);
            }
        }
        List<Activity> mine;
        lock (exported) mine = exported.Where(a => a.TraceId == kept || a.TraceId == dropped).ToList();
        Assert.Equal(["IFabricGrain/Run", "smmu-actors run"], mine.Select(a => a.DisplayName).Order());
    }
}
