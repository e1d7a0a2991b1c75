namespace SmmuActors.Contracts;

/// <summary>
/// Every campaign of the cluster (one index, key 0), kept in campaign storage: what `campaigns` lists,
/// and what each silo's keeper reads to resume a campaign whose silo went.
/// </summary>
[Alias("smmu.campaign-index")]
public interface ICampaignIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Records a campaign; recording it again changes nothing.</summary>
    [Alias("add")]
    Task Add(CampaignEntry entry);

    [Alias("finished")]
    Task MarkFinished(Guid id);

    /// <summary>Oldest first.</summary>
    [Alias("list")]
    Task<CampaignEntry[]> List();
}
