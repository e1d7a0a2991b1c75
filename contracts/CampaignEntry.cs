namespace SmmuActors.Contracts;

/// <summary>
/// A campaign as the index lists it: what it runs, when it was submitted and when it finished; its progress is the
/// campaign grain's. FinishedAt comes last, so entries stored before it read as finished at no known time.
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.campaign-entry")]
public sealed record CampaignEntry(Guid Id, DateTime Submitted, string Workload, string Preset, ulong Seed, long Runs, bool Finished,
    DateTime? FinishedAt = null);
