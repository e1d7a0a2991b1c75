using Orleans.Concurrency;
using SmmuActors.Model.Exploration;

namespace SmmuActors.Contracts;

/// <summary>
/// A random campaign fanned out over worker lanes on every silo; results aggregate as batches arrive.
/// Its plan, progress, merged result and counterexamples are grain state: a new activation, on any
/// silo, carries on from the last merged batch.
/// </summary>
[Alias("smmu.campaign")]
public interface ICampaignGrain : IGrainWithGuidKey
{
    /// <summary>Starts the campaign and returns at once; starting it again changes nothing.</summary>
    [Alias("start")]
    Task Start(CampaignSpec spec);

    /// <summary>The status once the campaign has finished, or after <paramref name="wait"/>, whichever is first.</summary>
    [Alias("poll"), AlwaysInterleave]
    Task<CampaignStatus> Poll(TimeSpan wait);

    /// <summary>Activates the campaign, which carries on by itself if it has not finished: how silos resume one whose silo went.</summary>
    [Alias("resume"), AlwaysInterleave]
    Task Resume();

    /// <summary>One shrunk counterexample per violation kind, once the campaign has finished.</summary>
    [Alias("counterexamples"), AlwaysInterleave]
    Task<Counterexample[]> Counterexamples();

    /// <summary>
    /// What the campaign was started with (null for one never started): what `campaign results` needs to shrink the
    /// witnesses of kinds the campaign has no counterexample of.
    /// </summary>
    [Alias("spec"), AlwaysInterleave]
    Task<CampaignSpec?> Spec();

    /// <summary>Stops handing out batches and cancels those running; the campaign finishes with the batches merged so far.</summary>
    [Alias("cancel"), AlwaysInterleave]
    Task Cancel();

    /// <summary>
    /// Drops the campaign's record and its index entry, once it has finished (or its record was lost); false, and nothing
    /// dropped, while it runs. What the keeper does past the retention, and `campaign forget`.
    /// </summary>
    [Alias("forget")]
    Task<bool> Forget();

    /// <summary>The client has the result: free the activation.</summary>
    [Alias("close")]
    Task Close();
}
