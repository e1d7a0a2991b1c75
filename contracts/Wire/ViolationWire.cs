using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="Violation"/>.</summary>
[GenerateSerializer, Alias("smmu.violation")]
public readonly record struct ViolationSurrogate(ViolationKind Kind, long Step, long Time, string Detail);

[RegisterConverter]
public sealed class ViolationConverter : IConverter<Violation, ViolationSurrogate>
{
    public Violation ConvertFromSurrogate(in ViolationSurrogate s) => new(s.Kind, s.Step, s.Time, s.Detail);

    public ViolationSurrogate ConvertToSurrogate(in Violation v) => new(v.Kind, v.Step, v.Time, v.Detail);
}
