namespace SmmuActors.Contracts;

/// <summary>A campaign as the index lists it: what it runs and when it was submitted; its progress is the campaign grain's.</summary>
[GenerateSerializer, Immutable, Alias("smmu.campaign-entry")]
public sealed record CampaignEntry(Guid Id, DateTime Submitted, string Workload, string Preset, ulong Seed, long Runs, bool Finished);
