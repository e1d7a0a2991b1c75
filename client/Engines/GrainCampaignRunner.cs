using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;

namespace SmmuActors.Client.Engines;

/// <summary>
/// Submits a campaign to the cluster and follows it to the end, reporting progress as it goes.
/// The campaign runs in the cluster; this side only polls, and survives a poll lost with a gateway.
/// Any client can follow a campaign by its id, not only the one that submitted it.
/// </summary>
public static class GrainCampaignRunner
{
    static readonly TimeSpan PollWait = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A stop during the submission cancels the campaign too: the start may already be under way in the cluster, and
    /// abandoned there it would run on with nobody waiting (a start takes seconds on a busy machine).
    /// </summary>
    /// <param name="started">Told the campaign's id once the cluster has it, for a note should this process end first.</param>
    public static async Task<CampaignStatus> RunAsync(IGrainFactory grains, CampaignSpec spec, IProgress<ExploreProgress>? progress,
        IProgress<CampaignStatus>? status, CancellationToken cancel, Action<Guid>? started = null)
    {
        var id = Guid.NewGuid();
        started?.Invoke(id);
        try
        {
            await grains.GetGrain<ICampaignGrain>(id).Start(spec).WaitAsync(cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return await StopAsync(grains.GetGrain<ICampaignGrain>(id), progress, status);
        }
        return await FollowAsync(grains, id, spec, progress, status, cancel);
    }

    /// <summary>Starts a campaign and returns its id at once; the cluster runs it whether or not anyone follows.</summary>
    public static async Task<Guid> SubmitAsync(IGrainFactory grains, CampaignSpec spec, CancellationToken cancel)
    {
        var id = Guid.NewGuid();
        await grains.GetGrain<ICampaignGrain>(id).Start(spec).WaitAsync(cancel);
        return id;
    }

    /// <summary>
    /// Polls campaign <paramref name="id"/> until it finishes. <paramref name="spec"/> is the submitter's copy, to start
    /// the campaign again should its stored state be lost (memory storage, with its silo); without it a lost or unknown
    /// campaign is an error.
    /// </summary>
    public static async Task<CampaignStatus> FollowAsync(IGrainFactory grains, Guid id, CampaignSpec? spec, IProgress<ExploreProgress>? progress,
        IProgress<CampaignStatus>? status, CancellationToken cancel)
    {
        var campaign = grains.GetGrain<ICampaignGrain>(id);
        CampaignStatus? last = null;
        try
        {
            int failures = 0, restarts = 0;
            while (true)
            {
                CampaignStatus s;
                try
                {
                    s = await campaign.Poll(PollWait).WaitAsync(GatewayWatch.CallLimit, cancel);
                    failures = 0;
                }
                catch (Exception e) when (e is OrleansException or TimeoutException)
                {
                    GatewayWatch.Retry(grains, ref failures, e);
                    await Task.Delay(PollWait, cancel);
                    continue;
                }
                // The campaign's state was lost with its silo (memory storage): start it again; runs are re-run by seed, so
                // the result is the same.
                if (!s.Started)
                {
                    if (spec is null) throw new InputException($"ID: no campaign {id:N} in this cluster");
                    restarts++;
                    await campaign.Start(spec).WaitAsync(cancel);
                    continue;
                }
                s = last = s with { Restarts = restarts };
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
        catch (OperationCanceledException) when (spec is not null)
        {
            // Only the submitter's own campaign is cancelled with it; one followed by id carries on without this client.
            return await StopAsync(campaign, progress, status);
        }
        catch (Exception e) when (Causes.Within<Orleans.Runtime.Messaging.ConnectionFailedException>(e) is not null)
        {
            // The campaign goes on in the cluster: the report of the loss names it, to be followed through another gateway.
            throw new CampaignLostException(id, last, e);
        }
    }

    /// <summary>Cancels campaign <paramref name="id"/>, whoever started it, and waits for its lanes to stop (<see cref="StopAsync"/>).</summary>
    public static Task<CampaignStatus> CancelAsync(IGrainFactory grains, Guid id) => StopAsync(grains.GetGrain<ICampaignGrain>(id), null, null);

    /// <summary>
    /// Cancels the campaign and waits for its lanes to stop (each within one run), so the cluster is idle when
    /// this returns; the status holds the batches merged until then. A cluster that does not answer in time
    /// leaves the caller cancelled, with nothing to show. Polled until it says finished: a poll that comes while
    /// the start is still under way returns at once, before there is anything to wait for.
    /// </summary>
    static async Task<CampaignStatus> StopAsync(ICampaignGrain campaign, IProgress<ExploreProgress>? progress, IProgress<CampaignStatus>? status)
    {
        var stopping = TimeSpan.FromSeconds(5);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        CampaignStatus s;
        try
        {
            await campaign.Cancel().WaitAsync(stopping);
            do s = await campaign.Poll(PollWait).WaitAsync(stopping);
            while (!s.Finished && clock.Elapsed < stopping);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            throw new OperationCanceledException($"the cancelled campaign did not answer: {e.Message}");
        }
        if (!s.Finished) throw new OperationCanceledException("the cancelled campaign did not stop in time");
        progress?.Report(new ExploreProgress(s.Done, s.Total, s.Violations, s.Steps));
        status?.Report(s);
        // Freeing the activation is housekeeping, queued behind whatever turn it is in: a stop that waited Orleans' 30 s
        // for it ended in an internal error (bench-cluster, a helper's audit). Orleans collects an idle activation anyway.
        try { await campaign.Close().WaitAsync(stopping); }
        catch (Exception e) when (e is TimeoutException or OrleansException) { }
        return s;
    }
}

/// <summary>
/// The connection to the cluster was lost while following campaign <see cref="Id"/>, which may well go on there;
/// <see cref="Last"/> is its last status polled, if any: a poll carries counts only, the merged result comes at the end.
/// </summary>
public sealed class CampaignLostException(Guid id, CampaignStatus? last, Exception inner) : Exception($"lost the connection while following campaign {id:N}", inner)
{
    public Guid Id { get; } = id;

    public CampaignStatus? Last { get; } = last;
}
