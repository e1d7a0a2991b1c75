using SmmuActors.Model.Exploration;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="ExhaustiveResult"/>.</summary>
[GenerateSerializer, Alias("smmu.exhaustive-result")]
public readonly record struct ExhaustiveResultSurrogate(BatchResult Result, long States, string? IncompleteReason, int CycleBreakers, bool FirstViolation, int? Depth, bool Again);

[RegisterConverter]
public sealed class ExhaustiveResultConverter : IConverter<ExhaustiveResult, ExhaustiveResultSurrogate>
{
    public ExhaustiveResult ConvertFromSurrogate(in ExhaustiveResultSurrogate s) => new(s.Result, s.States, s.IncompleteReason, s.CycleBreakers, s.FirstViolation, s.Depth, s.Again);

    public ExhaustiveResultSurrogate ConvertToSurrogate(in ExhaustiveResult r) => new(r.Result, r.States, r.IncompleteReason, r.CycleBreakers, r.FirstViolation, r.Depth, r.Again);
}
