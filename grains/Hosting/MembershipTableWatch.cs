using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// Stops a Redis silo whose cluster's membership table has gone from Redis (the server restarted without its data, or
/// the key was deleted): Orleans cannot rejoin a table that no longer holds the silo's own row, and would retry for
/// ever, logging a stack trace every few seconds. Redis away for a while is not this: the check waits for it, as
/// Orleans' retries do.
/// </summary>
public sealed class MembershipTableWatch(string redis, IOptions<RedisClusteringOptions> clustering, IOptions<ClusterOptions> cluster,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    readonly TaskCompletionSource<string> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes, with the reason, once the table has gone. The silo then exits without Orleans' graceful stop, which
    /// would spend a minute retrying to record the stop in the table that is not there.
    /// </summary>
    public Task<string> Lost => _lost.Task;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var key = clustering.Value.CreateRedisKey(cluster.Value);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisCluster.Options(redis));
        using var timer = new PeriodicTimer(Every);
        bool seen = false;
        int missing = 0;
        while (await timer.WaitForNextTickAsync(stop))
        {
            bool exists;
            try { exists = await connection.GetDatabase().KeyExistsAsync(key); }
            // Redis away or stalled (a SIGSTOP, a slow disk) is a RedisTimeoutException, a TimeoutException rather than a
            // RedisException; either, thrown out of here, stopped the silo the watch is there to keep. Any other failure of
            // a check says no more of the table, and the watch must not end on it either: a test once saw it end with no
            // exception (canceled, or done) while Redis was stalled, under load, and not again in runs made to find why.
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested) { continue; }
            // Before this silo has joined, the table may not be written yet; once the host has started, the silo has joined,
            // so the table was there even if no check saw it (a table flushed in the first seconds went unnoticed for good).
            // Two checks in a row, so a key being rewritten is never taken for a lost one.
            if (exists) (seen, missing) = (true, 0);
            else if ((seen || lifetime.ApplicationStarted.IsCancellationRequested) && ++missing == 2)
            {
                _lost.TrySetResult($"the cluster's membership table ({key}) has gone from Redis {redis}: the server restarted " +
                       "without its data, or the key was deleted; this silo cannot rejoin it and stops. Start the silos again " +
                       "(campaigns kept in that Redis went with it)");
                return;
            }
        }
    }
}
