using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SmmuActors.Telemetry;

/// <summary>
/// The product's one ActivitySource and one Meter, and the Orleans sources that join them, so
/// silo, client and tests agree on every name.
/// </summary>
public static class SmmuTelemetry
{
    public const string Name = "SmmuActors";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>
    /// Orleans' grain-call spans (with AddActivityPropagation) and activation spans, so a scenario's
    /// spans and the calls that carried it share one trace. Microsoft.Orleans.Runtime is left out:
    /// it traces membership and timers in the background, about 80 spans per silo in 10 s.
    /// </summary>
    public static readonly string[] OrleansSources = ["Microsoft.Orleans.Application", "Microsoft.Orleans.Lifecycle"];

    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>A command's span (e.g. "run"): the root of what one CLI command traces.</summary>
    public static Activity? StartCommand(string command) =>
        Source.StartActivity($"smmu-actors {command}", ActivityKind.Internal, parentContext: default,
            tags: [new KeyValuePair<string, object?>(SmmuAttributes.Command, command)]);

    /// <summary>Instrument names of <see cref="Meter"/>.</summary>
    public static class Instruments
    {
        public const string Runs = "smmu.runs";
        public const string Violations = "smmu.violations";
        public const string Deliveries = "smmu.deliveries";
        public const string StatesExplored = "smmu.states_explored";
        public const string RunsPerSecond = "smmu.runs_per_second";
    }
}
