using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="StrategySpec"/>: a seed, or a recorded choice list to replay.</summary>
[GenerateSerializer, Alias("smmu.strategy")]
public readonly record struct StrategySpecSurrogate(bool Replay, ulong Seed, long[] Choices, bool Untimed, bool Probe);

[RegisterConverter]
public sealed class StrategySpecConverter : IConverter<StrategySpec, StrategySpecSurrogate>
{
    public StrategySpec ConvertFromSurrogate(in StrategySpecSurrogate s) => new(s.Replay, s.Seed, s.Choices, s.Untimed, s.Probe);

    public StrategySpecSurrogate ConvertToSurrogate(in StrategySpec v) => new(v.Replay, v.Seed, v.Choices, v.Untimed, v.Probe);
}
