using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SmmuActors.Telemetry;

/// <summary>
/// The one OpenTelemetry set-up, for hosts (silo, client with an Orleans host) through DI and for
/// the plain CLI through <see cref="Start"/>. Both add the same sources, meters and exporters.
/// </summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddSmmuTelemetry(this IServiceCollection services, TelemetryOptions o)
    {
        if (!o.Enabled) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(o.ServiceName))
            .WithTracing(t => Tracing(t, o))
            .WithMetrics(m => Metrics(m, o));
        return services;
    }

    /// <summary>Starts exporting for this process; disposing flushes what is buffered.</summary>
    public static IDisposable Start(TelemetryOptions o)
    {
        if (!o.Enabled) return new Providers(null, null);
        var resource = ResourceBuilder.CreateDefault().AddService(o.ServiceName);
        var tracer = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource);
        Tracing(tracer, o);
        var meter = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource);
        Metrics(meter, o);
        return new Providers(tracer.Build(), meter.Build());
    }

    static void Tracing(TracerProviderBuilder t, TelemetryOptions o)
    {
        t.SetSampler(new OwnRootsSampler());
        t.AddSource(SmmuTelemetry.Name);
        if (o.Orleans) t.AddSource(SmmuTelemetry.OrleansSources);
        if (o.OtlpUri is { } uri)
            t.AddProcessor(new BatchActivityExportProcessor(new WarningExporter(uri)));
        // One line per span on stderr, readable as a timeline; the command's own output stays on stdout.
        else t.AddProcessor(new SimpleActivityExportProcessor(new SpanLines(Console.Error)));
    }

    static void Metrics(MeterProviderBuilder m, TelemetryOptions o)
    {
        m.AddMeter(SmmuTelemetry.Name);
        if (o.Orleans) m.AddMeter(SmmuTelemetry.OrleansMeter);
        // Metrics go to a collector; on the console the run's own summary already says what they count.
        if (o.OtlpUri is { } uri) m.AddOtlpExporter(e => e.Endpoint = uri);
    }

    sealed class Providers(TracerProvider? tracer, MeterProvider? meter) : IDisposable
    {
        public void Dispose()
        {
            tracer?.Dispose();
            meter?.Dispose();
        }
    }
}
