using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="ModelEvent"/>, what a component reports while handling a message.</summary>
[GenerateSerializer, Alias("smmu.event")]
public struct ModelEventSurrogate
{
    [Id(0)] public byte Kind;
    [Id(1)] public byte Actor;
    [Id(2)] public long A;
    [Id(3)] public long B;
    [Id(4)] public long C;
}

[RegisterConverter]
public sealed class ModelEventConverter : IConverter<ModelEvent, ModelEventSurrogate>
{
    public ModelEvent ConvertFromSurrogate(in ModelEventSurrogate s) => new(s.Kind, s.Actor, s.A, s.B, s.C);

    public ModelEventSurrogate ConvertToSurrogate(in ModelEvent e) => new() { Kind = e.Kind, Actor = e.Actor, A = e.A, B = e.B, C = e.C };
}
