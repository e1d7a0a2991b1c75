using SmmuActors.Model.Sim;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="Control"/>, a store fence or timer cancel a component performed.</summary>
[GenerateSerializer, Alias("smmu.control")]
public readonly record struct ControlSurrogate(ControlKind Kind, int Before, long Timer);

[RegisterConverter]
public sealed class ControlConverter : IConverter<Control, ControlSurrogate>
{
    public Control ConvertFromSurrogate(in ControlSurrogate s) => new(s.Kind, s.Before, s.Timer);

    public ControlSurrogate ConvertToSurrogate(in Control c) => new(c.Kind, c.Before, c.Timer);
}
