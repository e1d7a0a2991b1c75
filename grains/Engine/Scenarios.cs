using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Engine;

/// <summary>Scenario identity by content: a spec that crossed a silo boundary is a new object but the same scenario.</summary>
public static class Scenarios
{
    public static bool Same(ScenarioSpec a, ScenarioSpec b) =>
        ReferenceEquals(a, b) ||
        (a.Preset == b.Preset && a.WorkloadPath == b.WorkloadPath && a.WorkloadText == b.WorkloadText && a.Settings.SequenceEqual(b.Settings));
}
