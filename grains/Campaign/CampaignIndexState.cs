using SmmuActors.Contracts;

namespace SmmuActors.Grains.Campaign;

/// <summary>The stored list behind <see cref="CampaignIndexGrain"/>.</summary>
[GenerateSerializer, Alias("smmu.campaign-index-state")]
public sealed class CampaignIndexState
{
    [Id(0)] public List<CampaignEntry> Entries { get; set; } = [];
}
