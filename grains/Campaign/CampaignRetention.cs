using SmmuActors.Contracts;

namespace SmmuActors.Grains.Campaign;

/// <summary>
/// How long a finished campaign is kept, listed in the index with its record in campaign storage, before the keeper
/// forgets it: a long-lived Redis cluster would otherwise keep every campaign ever run (`campaign forget` drops one sooner).
/// </summary>
public sealed class CampaignRetention
{
    public static readonly TimeSpan Default = TimeSpan.FromDays(30);

    public TimeSpan After { get; set; } = Default;

    /// <summary>Finished longer ago than <see cref="After"/>; an entry stored before finish times were kept counts from its submission.</summary>
    public bool Expired(CampaignEntry entry, DateTime now) => entry.Finished && (entry.FinishedAt ?? entry.Submitted) + After <= now;
}
