using SmmuActors.Contracts;
using SmmuActors.Grains.Campaign;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Client.Engines;

/// <summary>
/// Submits a campaign to the cluster and follows it to the end, reporting progress as it goes.
/// The campaign runs in the cluster; this side only polls, and survives a poll lost with a gateway.
/// </summary>
public static class GrainCampaignRunner
{
    static readonly TimeSpan PollWait = TimeSpan.FromMilliseconds(250);

    /// <summary>Consecutive failed polls tolerated: a gateway silo lost mid-campaign is dropped by the client within seconds.</summary>
    const int MaxPollFailures = 60;

    public static async Task<CampaignStatus> RunAsync(IGrainFactory grains, CampaignSpec spec, IProgress<ExploreProgress>? progress,
        IProgress<CampaignStatus>? status, CancellationToken cancel)
    {
        var campaign = grains.GetGrain<ICampaignGrain>(Guid.NewGuid());
        await campaign.Start(spec).WaitAsync(cancel);
        try
        {
            int failures = 0, restarts = 0;
            while (true)
            {
                CampaignStatus s;
                try
                {
                    s = await campaign.Poll(PollWait).WaitAsync(cancel);
                    failures = 0;
                }
                catch (Exception e) when (e is OrleansException or TimeoutException && ++failures < MaxPollFailures)
                {
                    await Task.Delay(PollWait, cancel);
                    continue;
                }
                // The campaign's activation was lost (with its silo, or with the silo holding its directory entry, after
                // which a poll reaches a fresh activation): start it again; runs are re-run by seed, so the result is the same.
                if (!s.Started)
                {
                    restarts++;
                    await campaign.Start(spec).WaitAsync(cancel);
                    continue;
                }
                s = s with { Restarts = restarts };
                progress?.Report(new ExploreProgress(s.Done, s.Total, s.Violations, s.Steps));
                status?.Report(s);
                if (s.Error is not null) throw new InvalidOperationException($"campaign failed: {s.Error}");
                if (s.Finished)
                {
                    await campaign.Close();
                    return s;
                }
            }
        }
        catch (OperationCanceledException)
        {
            await campaign.Cancel();
            throw;
        }
    }
}
