using Orleans.Concurrency;

namespace SmmuActors.Contracts;

/// <summary>A random campaign fanned out over worker lanes on every silo; results aggregate as batches arrive.</summary>
[Alias("smmu.campaign")]
public interface ICampaignGrain : IGrainWithGuidKey
{
    /// <summary>Starts the campaign and returns at once; starting it again changes nothing.</summary>
    [Alias("start")]
    Task Start(CampaignSpec spec);

    /// <summary>The status once the campaign has finished, or after <paramref name="wait"/>, whichever is first.</summary>
    [Alias("poll"), AlwaysInterleave]
    Task<CampaignStatus> Poll(TimeSpan wait);

    /// <summary>Stops handing out batches.</summary>
    [Alias("cancel"), AlwaysInterleave]
    Task Cancel();

    /// <summary>The client has the result: free the activation.</summary>
    [Alias("close")]
    Task Close();
}
