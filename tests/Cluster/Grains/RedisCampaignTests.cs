using System.Diagnostics;
using System.Text.Json;
using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;
using SmmuActors.Grains.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using Xunit.Abstractions;

namespace SmmuActors.Tests.Grains;

/// <summary>
/// Silo processes joined through a redis-server of the test's own: detached campaigns that outlive the
/// silo running them, every silo, and a Redis restart, and still count every run exactly once; and are forgotten when told.
/// </summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class RedisCampaignTests(ITestOutputHelper output)
{
    const string Workload = "pm-cycles.json";
    const ulong Seed = 31;
    // Long enough that the disturbance, which follows the poll that sees a fiftieth of the runs done, comes well before the
    // end: a poll returns within 0.3 s, and the grain engine does tens of thousands of runs a second here. 3,000 runs waited
    // for at 600 were once all done by that poll (a fresh clone's CI), and the silo was killed after the campaign ended.
    const long Runs = 60000;
    const long DisturbAt = Runs / 50;
    // The detached campaign is longer: its submission and first poll go through a CLI process, which can take seconds.
    // 6,000 runs were once all done by the first poll, once the grain engine's lanes went in sweeps (a fresh clone's CI).
    const long DetachedRuns = 100000;

    [Fact]
    public async Task A_detached_campaign_survives_every_silo_killed_and_keeps_its_counterexamples()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        using var redis = await RedisServer.StartAsync();
        var silos = await StartSilos(redis, [0, 1], timeout.Token);
        string dir = Directory.CreateTempSubdirectory("smmu-detached-").FullName;
        try
        {
            Guid id;
            long before;
            await using (var watch = await GrainConnection.RedisAsync(redis.Endpoint, timeout.Token))
            {
                var submit = await CliProcess.RunAsync(timeout.Token, "explore", "--workload", TestPaths.Scenario(Workload), "--runs", $"{DetachedRuns}",
                    "--seed", $"{Seed}", "--redis", redis.Endpoint, "--detach");
                Assert.True(submit.ExitCode == 0, submit.ToString());
                id = Guid.ParseExact(submit.Output.Trim(), "N");
                before = (await WaitForDone(watch, id, DetachedRuns / 50, timeout.Token)).Done;
                // Killed before this client closes: a close can take seconds on a busy machine, time enough for the
                // campaign to finish, and a campaign killed after it finished tests nothing (seen once in CI).
                foreach (var s in silos) s.Kill();
            }
            var clock = Stopwatch.StartNew();
            silos = await StartSilos(redis, [2, 3], timeout.Token);
            await using (var watch = await GrainConnection.RedisAsync(redis.Endpoint, timeout.Token))
            {
                await WaitForDone(watch, id, before + 1, timeout.Token);
                output.WriteLine($"every silo killed at {before} of {DetachedRuns} runs; progress again {clock.Elapsed.TotalSeconds:F1} s after the restart began");
                Assert.InRange(before, 1, DetachedRuns - 1);
            }
            long resumedAt = ResumedAt(silos, id);
            output.WriteLine($"the new activation resumed at {resumedAt} of {DetachedRuns} runs");
            Assert.True(resumedAt < DetachedRuns, "the campaign had merged every run before the silos were killed, so the kill tested nothing");

            var wait = await CliProcess.RunAsync(timeout.Token, "campaign", "wait", id.ToString("N"), "--redis", redis.Endpoint);
            Assert.True(wait.ExitCode == 1, wait.ToString());
            foreach (var s in silos) await s.StopAsync();
            silos = await StartSilos(redis, [4], timeout.Token);
            string json = Path.Combine(dir, "results.json");
            var results = await CliProcess.RunAsync(timeout.Token, "campaign", "results", id.ToString("N"), "--redis", redis.Endpoint, "--json", json, "--out", dir);
            Assert.True(results.ExitCode == 1, results.ToString());

            var local = GrainScenarios.Local(GrainScenarios.Spec(Workload), Seed, DetachedRuns);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var root = doc.RootElement;
            output.WriteLine($"batches {root.GetProperty("batches")}, re-run {root.GetProperty("reruns")}, resumed {root.GetProperty("resumes")}");
            Assert.Equal(DetachedRuns, root.GetProperty("runs").GetInt64());
            Assert.Equal($"VIOLATED ({string.Join(", ", local.ViolationsByKind.Keys.Select(k => Naming.Kebab(k)).Order())})", root.GetProperty("verdict").GetString());
            Assert.StartsWith(root.GetProperty("verdict").GetString()!, results.Output.TrimStart());
            Assert.Equal(local.Steps, root.GetProperty("steps").GetInt64());
            Assert.True(root.GetProperty("resumes").GetInt32() >= 1);
            Assert.Equal(local.ViolationsByKind.Select(p => KeyValuePair.Create(Naming.Kebab(p.Key), p.Value)).OrderBy(p => p.Key),
                root.GetProperty("violationsByKind").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64())).OrderBy(p => p.Key));
            var files = root.GetProperty("counterexamples").EnumerateArray().Select(c => c.GetProperty("file").GetString()!).ToList();
            Assert.Equal(local.Witnesses.Count, files.Count);
            foreach (var file in files) Assert.Equal(Seed, Counterexample.Load(file).Seed);
            // Each with its sequence chart beside it and the command that replays it, as explore saves and lists them.
            foreach (var cx in root.GetProperty("counterexamples").EnumerateArray())
            {
                string file = cx.GetProperty("file").GetString()!;
                Assert.StartsWith("<svg", File.ReadAllText(cx.GetProperty("chart").GetString()!).TrimStart());
                Assert.Equal(Path.ChangeExtension(file, ".svg"), cx.GetProperty("chart").GetString());
                Assert.Equal($"smmu-actors replay {file}", cx.GetProperty("replay").GetString());
                Assert.Contains($"replay: smmu-actors replay {file}", results.Output);
            }

            // Forgotten, it is gone from the index and from Redis: no client finds it any more.
            var forget = await CliProcess.RunAsync(timeout.Token, "campaign", "forget", id.ToString("N"), "--redis", redis.Endpoint);
            Assert.True(forget.ExitCode == 0, forget.ToString());
            await using (var watch = await GrainConnection.RedisAsync(redis.Endpoint, timeout.Token))
                Assert.DoesNotContain(await watch.Client.GetGrain<ICampaignIndexGrain>(0).List(), e => e.Id == id);
            var status = await CliProcess.RunAsync(timeout.Token, "campaign", "status", id.ToString("N"), "--redis", redis.Endpoint);
            Assert.True(status.ExitCode == 2, status.ToString());
        }
        finally
        {
            foreach (var s in silos) s.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// A Redis server with no silo joined: one line after the join's 10 s, as a --cluster gateway that never answers
    /// gives; the client alone would wait for a gateway for ever, saying nothing.
    /// </summary>
    [Theory]
    [InlineData("campaigns")]
    [InlineData("explore", "--runs", "1000")]
    public async Task A_redis_with_no_silo_is_one_line_after_the_join_limit(params string[] command)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var redis = await RedisServer.StartAsync();
        var result = await CliProcess.RunAsync(timeout.Token, [.. command, "--redis", redis.Endpoint]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"error: --redis: no silo of the cluster kept in {redis.Endpoint} answered within 10 s; " +
                        $"start one with: dotnet run --project silo -c Release -- --redis {redis.Endpoint}", result.Errors);
        Assert.DoesNotContain("   at ", result.Errors);
    }

    /// <summary>
    /// Redis restarted without its data (here emptied with FLUSHALL) takes the membership table: the silo cannot rejoin
    /// it and stopped being useful, yet Orleans retried for ever with a stack trace every few seconds. It now says why
    /// and exits 1 within about 10 s. Emptied at once after the silo said it was ready, before the watch's first check
    /// (5 s in) had seen the table, it went unnoticed for good. A Redis that is only away comes back with its data:
    /// A_redis_restart_mid_campaign_loses_no_run.
    /// </summary>
    [Fact]
    public async Task A_silo_whose_membership_table_is_emptied_from_redis_says_so_and_exits()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var redis = await RedisServer.StartAsync();
        using var silo = await GrainSiloProcess.StartRedisAsync(0, redis.Endpoint, timeout.Token);
        await redis.FlushAllAsync();
        var clock = Stopwatch.StartNew();
        int code = await silo.ExitAsync().WaitAsync(TimeSpan.FromSeconds(30), timeout.Token);
        Assert.True(code == 1, silo.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed.TotalSeconds:0} s");
        Assert.Contains($"error: the cluster's membership table (smmu-actors/members/redis) has gone from Redis {redis.Endpoint}", silo.Output);
    }

    /// <summary>
    /// A silo whose Redis had gone took one and a half to two minutes to act on SIGTERM: Orleans retried recording its leave
    /// in the membership table there, past the host's shutdown timeout, each write for up to a minute. It now gives its stop
    /// 15 s, then says why and exits 1.
    /// </summary>
    [Fact]
    public async Task A_silo_whose_redis_has_gone_stops_on_sigterm_and_says_why()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var redis = await RedisServer.StartAsync();
        using var silo = await GrainSiloProcess.StartRedisAsync(0, redis.Endpoint, timeout.Token);
        redis.Stop();
        silo.Terminate();
        var exit = silo.ExitAsync();
        await Task.WhenAny(exit, Task.Delay(TimeSpan.FromSeconds(60), timeout.Token));
        Assert.True(exit.IsCompleted, $"still running 60 s after SIGTERM:\n{silo.Output}");
        Assert.True(await exit == 1, silo.Output);
        Assert.Contains($"error: silo 0 did not stop within 15 s: Orleans is still trying to record its leave in the cluster's membership table, in Redis {redis.Endpoint}; " +
                        "is that reachable? It exits without leaving the cluster cleanly", silo.Output);
    }

    /// <summary>
    /// A Redis stalled for more than 5 s (SIGSTOP here) made the watch's check throw a RedisTimeoutException, a
    /// TimeoutException rather than a RedisException; out of the background service it stopped the silo, and so every
    /// silo of the cluster, when the README says a campaign carries on. The watch now waits for Redis.
    /// </summary>
    [Fact]
    public async Task The_membership_watch_outlives_a_stalled_redis()
    {
        using var redis = await RedisServer.StartAsync();
        using var watch = new MembershipTableWatch(redis.Endpoint, Options.Create(new RedisClusteringOptions()), Options.Create(new ClusterOptions()),
            new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(Microsoft.Extensions.Logging.Abstractions.NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance));
        await watch.StartAsync(CancellationToken.None);
        try
        {
            // Connected before the stall, as a running silo's watch is; its first check comes at 5 s and timed out 5 to 7 s
            // later (11 s after the connection in one run), or later still on a busy machine.
            await Task.Delay(TimeSpan.FromSeconds(1));
            redis.Pause();
            await Task.WhenAny(watch.ExecuteTask!, Task.Delay(TimeSpan.FromSeconds(20)));
            redis.Resume();
            Assert.False(watch.ExecuteTask!.IsCompleted, $"the watch ended ({watch.ExecuteTask.Status}, lost: {watch.Lost.IsCompleted}): {watch.ExecuteTask.Exception}");
            Assert.False(watch.Lost.IsCompleted);
        }
        finally
        {
            await watch.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// A silo started after every silo of the cluster was killed finds them still listed as active until it declares them
    /// dead, and printed some 120 warnings with stack traces over that half minute (probes, gossip, manifests, directory
    /// hand-offs to them), and the membership's notes on their stale heartbeats, twice per read of the table. Those go
    /// to its lost-peer log; its console keeps one line for each failed round of its join.
    /// </summary>
    [Fact]
    public async Task A_silo_joining_a_cluster_whose_silos_were_all_killed_keeps_its_console_to_a_few_lines()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var redis = await RedisServer.StartAsync();
        var killed = await Task.WhenAll(new[] { 0, 1 }.Select(n => GrainSiloProcess.StartRedisAsync(n, redis.Endpoint, timeout.Token)));
        // The table as a client that no silo answered reads it (JoinAdvice): the rows as Orleans wrote them, each silo named.
        var rows = await RedisCluster.MembersAsync(redis.Endpoint, timeout.Token);
        Assert.Equal(killed.Select(s => $"{s.SiloEndpoint} (silo {s.Instance})").Order(), rows.Select(r => SiloNames.Of(r.SiloAddress, r.SiloName)).Order());
        Assert.All(rows, r => Assert.Equal(SiloStatus.Active, r.Status));
        Assert.All(rows, r => Assert.True(r.StartTime != default && r.IAmAliveTime != default, $"{r.SiloName}: started {r.StartTime:O}, alive {r.IAmAliveTime:O}"));
        foreach (var s in killed) s.Dispose();
        using var joining = await GrainSiloProcess.StartRedisAsync(2, redis.Endpoint, timeout.Token);
        var lines = joining.Output.Split('\n');
        Assert.DoesNotContain(lines, l => l.StartsWith("   at "));
        Assert.DoesNotContain(lines, l => l.StartsWith("warn: Orleans."));
        Assert.True(lines.Length < 40, joining.Output);
        const string notice = "silo 2: Orleans' warnings about lost connections are logged to ";
        string path = Assert.Single(lines, l => l.StartsWith(notice))[notice.Length..];
        Assert.Matches(@"Warning Orleans\.Runtime\.(MembershipService\.MembershipAgent|GrainDirectory\.GrainDirectoryHandoffManager)", await File.ReadAllTextAsync(path, timeout.Token));
        File.Delete(path);
    }

    [Fact]
    public async Task Kill9_of_the_campaigns_own_silo_loses_no_run()
    {
        await Disturbed("the campaign's silo killed", (silos, host) =>
        {
            var victim = silos.Single(s => host.StartsWith($"{s.SiloEndpoint}@"));
            victim.Kill();
            return Task.FromResult<GrainSiloProcess[]>([.. silos.Where(s => s != victim)]);
        }, expectResume: true);
    }

    [Fact]
    public async Task Kill9_of_a_silo_not_running_the_campaign_loses_no_run()
    {
        await Disturbed("a secondary silo killed", (silos, host) =>
        {
            var victim = silos.First(s => !host.StartsWith($"{s.SiloEndpoint}@"));
            victim.Kill();
            return Task.FromResult<GrainSiloProcess[]>([.. silos.Where(s => s != victim)]);
        }, expectResume: false);
    }

    [Fact]
    public async Task A_redis_restart_mid_campaign_loses_no_run()
    {
        RedisServer? server = null;
        await Disturbed("redis-server restarted", async (silos, host) =>
        {
            await server!.RestartAsync(TimeSpan.FromSeconds(3));
            return silos;
        }, expectResume: false, r => server = r);
    }

    /// <summary>Disturbs the cluster; <paramref name="host"/> is the campaign's silo (as the membership names it). Returns the silos left.</summary>
    delegate Task<GrainSiloProcess[]> Disturbance(GrainSiloProcess[] silos, string host);

    /// <summary>Three silos, a campaign, <paramref name="disturb"/> at a fiftieth of its runs; the result must equal the local engine's.</summary>
    async Task Disturbed(string what, Disturbance disturb, bool expectResume, Action<RedisServer>? seeRedis = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var redis = await RedisServer.StartAsync();
        seeRedis?.Invoke(redis);
        var silos = await StartSilos(redis, [0, 1, 2], timeout.Token);
        try
        {
            await using var connection = await GrainConnection.RedisAsync(redis.Endpoint, timeout.Token);
            var spec = new CampaignSpec(GrainScenarios.Spec(Workload), Seed, Runs, 0, 25);
            var id = await GrainCampaignRunner.SubmitAsync(connection.Client, spec, timeout.Token);
            // Found before the wait, so the disturbance follows the poll at once: a campaign that ends in between tests nothing.
            string host = await CampaignHost(connection, id);
            long before = (await WaitForDone(connection, id, DisturbAt, timeout.Token)).Done;
            var clock = Stopwatch.StartNew();
            silos = await disturb(silos, host);
            var again = await WaitForDone(connection, id, before + 1, timeout.Token);
            double recovered = clock.Elapsed.TotalSeconds;
            var final = await GrainCampaignRunner.FollowAsync(connection.Client, id, null, null, null, timeout.Token);
            output.WriteLine($"{what} at {before} of {Runs} runs: progress again after {recovered:F1} s; {final.Batches} batches, {final.Reruns} re-run, resumed {final.Resumes}");
            Assert.InRange(before, 1, Runs - 1);
            Assert.Equal(Runs, final.Done);
            if (expectResume) Assert.True(final.Resumes >= 1, "the campaign was never carried on by a new activation");
            GrainScenarios.AssertSame(GrainScenarios.Local(spec.Scenario, Seed, Runs), final.Result!);
        }
        finally
        {
            foreach (var s in silos) s.Dispose();
        }
    }

    static async Task<GrainSiloProcess[]> StartSilos(RedisServer redis, int[] names, CancellationToken cancel)
    {
        var started = await Task.WhenAll(names.Select(n => GrainSiloProcess.StartRedisAsync(n, redis.Endpoint, cancel)));
        return started;
    }

    /// <summary>Polls until the campaign has merged at least <paramref name="runs"/> runs (tolerating a cluster in recovery).</summary>
    static async Task<CampaignStatus> WaitForDone(GrainConnection connection, Guid id, long runs, CancellationToken cancel)
    {
        var campaign = connection.Client.GetGrain<ICampaignGrain>(id);
        while (true)
        {
            try
            {
                var s = await campaign.Poll(TimeSpan.FromMilliseconds(200)).WaitAsync(cancel);
                if (s.Done >= runs) return s;
                // Said at once, with the campaign's own reason, rather than as the test's time running out.
                Assert.False(s.Finished, $"the campaign ended at {s.Done} runs, short of {runs}: {s.Error ?? (s.Cancelled ? "cancelled" : "no error given")}");
            }
            catch (Exception e) when (e is OrleansException or TimeoutException) { }
            await Task.Delay(100, cancel);
        }
    }

    /// <summary>The run count at which a new activation carried campaign <paramref name="id"/> on, as a silo logged it.</summary>
    static long ResumedAt(IEnumerable<GrainSiloProcess> silos, Guid id)
    {
        string mark = $"campaign {id} resumed at ";
        var line = silos.SelectMany(s => s.Output.Split('\n')).FirstOrDefault(l => l.Contains(mark));
        Assert.True(line is not null, "no silo logged that it carried the campaign on");
        return long.Parse(line[(line.IndexOf(mark) + mark.Length)..].Split(' ')[0]);
    }

    /// <summary>The silo address (as the membership writes it) of the campaign grain's activation.</summary>
    static async Task<string> CampaignHost(GrainConnection connection, Guid id)
    {
        var management = connection.Client.GetGrain<IManagementGrain>(0);
        var stats = await management.GetDetailedGrainStatistics();
        var activation = stats.Single(s => s.GrainId.ToString().Contains(id.ToString("N")) && s.GrainType.Contains("CampaignGrain"));
        return activation.SiloAddress.ToParsableString();
    }
}
