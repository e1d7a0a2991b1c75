using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Contracts;

/// <summary>A batch's result and the silo that ran it (placement is reported, never part of the result).</summary>
[GenerateSerializer, Immutable, Alias("smmu.lane-batch")]
public sealed record LaneBatch(BatchResult Result, string Silo);

/// <summary>The trace hash of every run of a range, and the silo that ran them: how engines are compared run for run.</summary>
[GenerateSerializer, Immutable, Alias("smmu.lane-traces")]
public sealed record LaneTraces(string[] TraceHashes, string Silo);
