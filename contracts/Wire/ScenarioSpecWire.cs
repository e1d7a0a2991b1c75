using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="ScenarioSpec"/>: workload text and every variant switch, rebuilt identically on any silo.</summary>
[GenerateSerializer, Alias("smmu.scenario")]
public readonly record struct ScenarioSpecSurrogate(string WorkloadPath, string WorkloadText, string Preset, string[] Settings);

[RegisterConverter]
public sealed class ScenarioSpecConverter : IConverter<ScenarioSpec, ScenarioSpecSurrogate>
{
    public ScenarioSpec ConvertFromSurrogate(in ScenarioSpecSurrogate s) => new(s.WorkloadPath, s.WorkloadText, s.Preset, s.Settings);

    public ScenarioSpecSurrogate ConvertToSurrogate(in ScenarioSpec v) => new(v.WorkloadPath, v.WorkloadText, v.Preset, v.Settings);
}
