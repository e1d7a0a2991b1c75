using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Wire;

/// <summary>The wire form of <see cref="ExhaustiveResult"/>.</summary>
[GenerateSerializer, Alias("smmu.exhaustive-result")]
public readonly record struct ExhaustiveResultSurrogate(BatchResult Result, Dictionary<string, long[]> Witnesses, long States, bool Exhausted);

[RegisterConverter]
public sealed class ExhaustiveResultConverter : IConverter<ExhaustiveResult, ExhaustiveResultSurrogate>
{
    public ExhaustiveResult ConvertFromSurrogate(in ExhaustiveResultSurrogate s) => new(s.Result, new(s.Witnesses), s.States, s.Exhausted);

    public ExhaustiveResultSurrogate ConvertToSurrogate(in ExhaustiveResult r) => new(r.Result, new(r.Witnesses), r.States, r.Exhausted);
}
