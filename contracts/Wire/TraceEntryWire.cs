using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="TraceEntry"/>: one recorded delivery and what its receiver reported.</summary>
[GenerateSerializer, Alias("smmu.trace-entry")]
public readonly record struct TraceEntrySurrogate(long Step, Message Message, ModelEvent[] Events);

[RegisterConverter]
public sealed class TraceEntryConverter : IConverter<TraceEntry, TraceEntrySurrogate>
{
    public TraceEntry ConvertFromSurrogate(in TraceEntrySurrogate s) => new(s.Step, s.Message, s.Events);

    public TraceEntrySurrogate ConvertToSurrogate(in TraceEntry v) => new(v.Step, v.Message, v.Events);
}
