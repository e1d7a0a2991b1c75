using SmmuActors.Model.Sim;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="Control"/>, a store fence, timer cancel or wait withdrawal a component performed.</summary>
[GenerateSerializer, Alias("smmu.control")]
public readonly record struct ControlSurrogate(ControlKind Kind, int Before, long Operand);

[RegisterConverter]
public sealed class ControlConverter : IConverter<Control, ControlSurrogate>
{
    public Control ConvertFromSurrogate(in ControlSurrogate s) => new(s.Kind, s.Before, s.Operand);

    public ControlSurrogate ConvertToSurrogate(in Control c) => new(c.Kind, c.Before, c.Operand);
}
