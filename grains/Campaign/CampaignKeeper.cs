using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmmuActors.Contracts;

namespace SmmuActors.Grains.Campaign;

/// <summary>
/// Runs on every silo and, every two seconds, activates each unfinished campaign of the index. A campaign
/// whose silo went (or every silo, then restarted) has no activation and no caller: this brings it back,
/// and the new activation carries on from its stored state. The calls also keep a detached campaign's
/// activation from being collected as idle.
/// </summary>
public sealed class CampaignKeeper(IGrainFactory grains, ILogger<CampaignKeeper> log) : BackgroundService
{
    static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stop))
        {
            try
            {
                var open = (await grains.GetGrain<ICampaignIndexGrain>(0).List()).Where(e => !e.Finished);
                await Task.WhenAll(open.Select(e => grains.GetGrain<ICampaignGrain>(e.Id).Resume()));
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                // The silo is starting or stopping, or a silo or Redis is away: the next tick tries again.
                log.LogInformation("campaigns not checked this time: {Reason}", e.Message);
            }
        }
    }
}
