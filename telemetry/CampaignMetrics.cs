using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Telemetry;

/// <summary>
/// Feeds a campaign's progress into <see cref="SmmuMetrics"/> as it goes (runs, states), then the
/// rest at the end (violations by kind, deliveries), so a long exploration shows its rate live and
/// every run is counted exactly once.
/// </summary>
public sealed class CampaignMetrics : IProgress<ExploreProgress>
{
    long _runs, _states;
    readonly object _gate = new();

    public void Report(ExploreProgress p)
    {
        lock (_gate)
        {
            if (p.Done > _runs) { SmmuMetrics.AddRuns(p.Done - _runs); _runs = p.Done; }
            if (p.States > _states) { SmmuMetrics.AddStates(p.States - _states); _states = p.States; }
        }
    }

    /// <summary>The campaign's final numbers; whatever progress did not report yet is recorded now.</summary>
    public void Completed(BatchResult result, long states)
    {
        Report(new ExploreProgress(result.Runs, result.Runs, 0, states));
        SmmuMetrics.AddDeliveries(result.Steps);
        SmmuMetrics.AddViolations(result.ViolationsByKind);
    }
}
