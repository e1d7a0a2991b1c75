using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Grains.Wire;

/// <summary>The wire form of <see cref="BatchResult"/>, what a batch of campaign runs found.</summary>
[GenerateSerializer, Alias("smmu.batch-result")]
public readonly record struct BatchResultSurrogate(
    long Runs, long Steps, long Truncated, ulong Coverage,
    Dictionary<string, long> ViolationsByKind, Dictionary<string, long> FirstRunByKind, Dictionary<string, long> Outcomes);

[RegisterConverter]
public sealed class BatchResultConverter : IConverter<BatchResult, BatchResultSurrogate>
{
    public BatchResult ConvertFromSurrogate(in BatchResultSurrogate s) => new()
    {
        Runs = s.Runs, Steps = s.Steps, Truncated = s.Truncated, Coverage = s.Coverage,
        ViolationsByKind = new(s.ViolationsByKind), FirstRunByKind = new(s.FirstRunByKind), Outcomes = new(s.Outcomes),
    };

    public BatchResultSurrogate ConvertToSurrogate(in BatchResult r) =>
        new(r.Runs, r.Steps, r.Truncated, r.Coverage, new(r.ViolationsByKind), new(r.FirstRunByKind), new(r.Outcomes));
}
