using System.Diagnostics;
using System.Diagnostics.Metrics;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Telemetry;

/// <summary>
/// The product's instruments: runs completed, violations by kind, deliveries, states explored, and
/// runs per second between two collections. Record a run or a batch where it ran (client for the
/// local engine, the worker's silo for the grain engine), never in both, or it is counted twice.
/// </summary>
public static class SmmuMetrics
{
    static readonly Counter<long> Runs = SmmuTelemetry.Meter.CreateCounter<long>(SmmuTelemetry.Instruments.Runs, "{run}", "scenario runs completed");
    static readonly Counter<long> Violations = SmmuTelemetry.Meter.CreateCounter<long>(SmmuTelemetry.Instruments.Violations, "{violation}", "violations found, by kind");
    static readonly Counter<long> Deliveries = SmmuTelemetry.Meter.CreateCounter<long>(SmmuTelemetry.Instruments.Deliveries, "{delivery}", "messages delivered");
    static readonly Counter<long> States = SmmuTelemetry.Meter.CreateCounter<long>(SmmuTelemetry.Instruments.StatesExplored, "{state}", "states explored (distinct states when exhaustive, steps when random)");
    static readonly RunRate Rate = new();

    static SmmuMetrics() =>
        SmmuTelemetry.Meter.CreateObservableGauge(SmmuTelemetry.Instruments.RunsPerSecond, Rate.Sample, "{run}/s", "runs completed per second since the previous collection");

    public static void RecordRun(RunResult r)
    {
        AddRuns(1);
        Deliveries.Add(r.Steps);
        States.Add(r.Steps);
        foreach (var v in r.Violations) Violations.Add(1, new KeyValuePair<string, object?>(SmmuAttributes.ViolationKind, v.KindName));
    }

    public static void AddRuns(long n)
    {
        Runs.Add(n);
        Rate.Add(n);
    }

    public static void AddStates(long n) => States.Add(n);

    public static void AddDeliveries(long n) => Deliveries.Add(n);

    public static void AddViolations(IReadOnlyDictionary<ViolationKind, long> byKind)
    {
        foreach (var (kind, n) in byKind) Violations.Add(n, new KeyValuePair<string, object?>(SmmuAttributes.ViolationKind, Naming.Kebab(kind)));
    }

    /// <summary>Runs counted since the previous sample, over the time since then.</summary>
    sealed class RunRate
    {
        long _runs;
        long _sampledRuns;
        long _sampledAt = Stopwatch.GetTimestamp();
        readonly object _gate = new();

        public void Add(long n) => Interlocked.Add(ref _runs, n);

        public double Sample()
        {
            lock (_gate)
            {
                long now = Stopwatch.GetTimestamp(), runs = Interlocked.Read(ref _runs);
                double seconds = Stopwatch.GetElapsedTime(_sampledAt, now).TotalSeconds;
                double rate = seconds > 0 ? (runs - _sampledRuns) / seconds : 0;
                _sampledRuns = runs;
                _sampledAt = now;
                return rate;
            }
        }
    }
}
