using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="PartitionDelta"/>: its packed parts travel as they are.</summary>
[GenerateSerializer, Alias("smmu.partition-delta")]
public readonly record struct PartitionDeltaSurrogate(int Partition, int States, byte[] Waits, byte[] Edges, byte[] Detected, int[] FinalIds, RunResult[] Finals,
    ulong Coverage, long Steps, bool CutAtDepth, bool CutAtStates);

[RegisterConverter]
public sealed class PartitionDeltaConverter : IConverter<PartitionDelta, PartitionDeltaSurrogate>
{
    public PartitionDelta ConvertFromSurrogate(in PartitionDeltaSurrogate s) =>
        new(s.Partition, s.States, s.Waits, s.Edges, s.Detected, s.FinalIds, s.Finals, s.Coverage, s.Steps, s.CutAtDepth, s.CutAtStates);

    public PartitionDeltaSurrogate ConvertToSurrogate(in PartitionDelta d) =>
        new(d.Partition, d.States, d.Waits, d.Edges, d.Detected, d.FinalIds, d.Finals, d.Coverage, d.Steps, d.CutAtDepth, d.CutAtStates);
}
