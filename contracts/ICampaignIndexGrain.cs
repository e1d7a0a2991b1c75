namespace SmmuActors.Contracts;

/// <summary>
/// Every campaign of the cluster (one index, key 0), kept in campaign storage: what `campaigns` lists,
/// and what each silo's keeper reads to resume a campaign whose silo went.
/// </summary>
[Alias("smmu.campaign-index")]
public interface ICampaignIndexGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Records a campaign; recording it again changes nothing, unless it was marked finished with its record lost: a
    /// campaign started again from its submitter's copy is open again, for the keeper to resume.
    /// </summary>
    [Alias("add")]
    Task Add(CampaignEntry entry);

    /// <summary>The keeper no longer resumes the campaign: it finished, or its record was lost and nothing can carry it on.</summary>
    [Alias("finished")]
    Task MarkFinished(Guid id);

    /// <summary>The campaign was forgotten (<see cref="ICampaignGrain.Forget"/>): it is no longer listed.</summary>
    [Alias("remove")]
    Task Remove(Guid id);

    /// <summary>Oldest first.</summary>
    [Alias("list")]
    Task<CampaignEntry[]> List();
}
