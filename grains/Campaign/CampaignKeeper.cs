using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmmuActors.Contracts;

namespace SmmuActors.Grains.Campaign;

/// <summary>
/// Runs on every silo and, every two seconds, activates each unfinished campaign of the index. A campaign
/// whose silo went (or every silo, then restarted) has no activation and no caller: this brings it back,
/// and the new activation carries on from its stored state. The calls also keep a detached campaign's
/// activation from being collected as idle. A campaign finished longer ago than the retention is forgotten.
/// </summary>
public sealed class CampaignKeeper(IGrainFactory grains, IOptions<CampaignRetention> retention, ILogger<CampaignKeeper> log) : BackgroundService
{
    static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stop))
        {
            try
            {
                var entries = await grains.GetGrain<ICampaignIndexGrain>(0).List();
                await Task.WhenAll(entries.Where(e => !e.Finished).Select(e => grains.GetGrain<ICampaignGrain>(e.Id).Resume()));
                var now = DateTime.UtcNow;
                await Task.WhenAll(entries.Where(e => retention.Value.Expired(e, now)).Select(e => grains.GetGrain<ICampaignGrain>(e.Id).Forget()));
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                // The silo is starting or stopping, or a silo or Redis is away: the next tick tries again.
                log.LogInformation("campaigns not checked this time: {Reason}", e.Message);
            }
        }
    }
}
