using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="BatchResult"/>, what a batch of campaign runs found.</summary>
[GenerateSerializer, Alias("smmu.batch-result")]
public readonly record struct BatchResultSurrogate(
    long Runs, long Steps, long Truncated, ulong Coverage,
    Dictionary<ViolationKind, long> ViolationsByKind, Witness[] Witnesses, Dictionary<string, long> Outcomes);

[RegisterConverter]
public sealed class BatchResultConverter : IConverter<BatchResult, BatchResultSurrogate>
{
    public BatchResult ConvertFromSurrogate(in BatchResultSurrogate s) => new()
    {
        Runs = s.Runs, Steps = s.Steps, Truncated = s.Truncated, Coverage = s.Coverage,
        ViolationsByKind = new(s.ViolationsByKind), Witnesses = s.Witnesses.ToDictionary(w => w.Kind), Outcomes = new(s.Outcomes),
    };

    public BatchResultSurrogate ConvertToSurrogate(in BatchResult r) =>
        new(r.Runs, r.Steps, r.Truncated, r.Coverage, new(r.ViolationsByKind), r.Witnesses.Values.ToArray(), new(r.Outcomes));
}

/// <summary>
/// The wire form of <see cref="Witness"/>, its run flattened (TraceHash null: none, as in a search's witness or a campaign
/// record stored before witnesses carried their run, which the serializer reads with the fields it lacks at their defaults).
/// </summary>
[GenerateSerializer, Alias("smmu.witness")]
public readonly record struct WitnessSurrogate(ViolationKind Kind, long RunIndex, long[] Choices, string? TraceHash, long Steps, string? Detail);

[RegisterConverter]
public sealed class WitnessConverter : IConverter<Witness, WitnessSurrogate>
{
    public Witness ConvertFromSurrogate(in WitnessSurrogate s) =>
        new(s.Kind, s.RunIndex, s.Choices, s.TraceHash is null ? null : new WitnessRun(s.TraceHash, s.Steps, s.Detail ?? ""));

    public WitnessSurrogate ConvertToSurrogate(in Witness w) => new(w.Kind, w.RunIndex, w.Choices, w.Run?.TraceHash, w.Run?.Steps ?? 0, w.Run?.Detail);
}
