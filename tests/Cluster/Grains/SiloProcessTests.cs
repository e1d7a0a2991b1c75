using SmmuActors.Model.Exploration;
using SmmuActors.Tests.Support;
using SmmuActors.Model.Sim;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Grains.Campaign;
using SmmuActors.Grains.Hosting;
using SmmuActors.Grains.Placement;
using SmmuActors.Telemetry;

namespace SmmuActors.Tests.Grains;

/// <summary>
/// Real silo processes on loopback, on ports away from the standard ones so a cluster the user
/// started is never touched. In the cluster collection so it never shares the cores with the fixture's work.
/// </summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class SiloProcessTests
{
    [Fact]
    public async Task Kill9_of_a_secondary_silo_mid_campaign_loses_no_run()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var silos = await StartCluster(3, timeout.Token);
        try
        {
            await using var connection = await GrainConnection.ClusterAsync(string.Join(',', silos.Select(s => s.Gateway)), timeout.Token);
            // Lanes are placed over the silos the membership lists when the campaign starts; a silo that has not
            // joined yet would get no lanes, and killing it would lose nothing (seen once under load).
            await WaitForActiveSilos(connection.Client, silos.Length, timeout.Token);
            var spec = GrainScenarios.Spec("pm-cycles.json");
            // Long enough to outlast the first poll (250 ms) many times over: 3,000 runs once finished before it (CI), so
            // the kill came after the end. The kill comes at the first report of progress.
            const long runs = 100_000;
            long doneAtKill = -1;
            var status = new InlineProgress<CampaignStatus>(s =>
            {
                if (doneAtKill >= 0 || s.Done == 0) return;
                doneAtKill = s.Done;
                silos[2].Kill();
            });
            var final = await GrainCampaignRunner.RunAsync(connection.Client, new CampaignSpec(spec, 13, runs, 0, 100), null, status, timeout.Token);
            Assert.True(doneAtKill is > 0 and < runs, $"the kill came at {doneAtKill} of {runs} runs, not mid-campaign");
            // The kill costs either the batches in flight on the silo (re-run), or, when the silo held the campaign
            // grain's directory entry, the campaign activation itself (started again): either way it must show. Between
            // batches a lane only merges (the record is written beside the lanes), so the lane on the killed silo (one of
            // three, a lane per silo at least) has a batch there or sends it one long before the membership declares the
            // silo dead.
            Assert.True(final.Reruns + final.Restarts > 0, $"the killed silo cost nothing (killed at {doneAtKill}, lanes {final.Lanes}, by silo {string.Join(", ", final.BatchesBySilo)})");
            Assert.Equal(runs, final.Done);
            Assert.True(final.BatchesBySilo.Count >= 2, string.Join(", ", final.BatchesBySilo));
            GrainScenarios.AssertSame(GrainScenarios.Local(spec, 13, runs), final.Result!);
        }
        finally
        {
            foreach (var s in silos) s.Dispose();
        }
    }

    /// <summary>
    /// A silo killed with kill -9 made its peer print a warning with a stack trace of several kilobytes for every refused
    /// connection and failed probe, until the membership declared it dead: those go to a log file, which the silo names
    /// once, and its console keeps to what it says itself.
    /// </summary>
    [Fact]
    public async Task A_killed_peer_s_connection_warnings_go_to_a_log_file_the_survivor_names()
    {
        await OnTwoJoinedSilos(TimeSpan.FromMinutes(2), async (silos, cancel) =>
        {
            silos[1].Kill();
            const string notice = "silo 0: Orleans' warnings about lost connections are logged to ";
            var clock = Stopwatch.StartNew();
            while (!silos[0].Output.Contains(notice) && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100, cancel);
            Assert.True(silos[0].Output.Contains(notice), $"no log file named within 30 s of the kill:\n{silos[0].Output}");
            // The survivor goes on logging the loss until the peer is declared dead: look at a few seconds of it.
            await Task.Delay(TimeSpan.FromSeconds(3), cancel);
            // Errors that say more than a lost peer stay on the console: those of a grain whose storage was on the peer, or
            // of a message Orleans could not address to it. Those of the categories that log only the loss go to the file.
            string[] fileOnly = ["fail: Polly", "fail: Orleans.Runtime.GrainCallCancellationManager", "fail: Orleans.Runtime.GrainDirectory.ClientDirectory"];
            Assert.DoesNotContain(silos[0].Output.Split('\n'), l => l.StartsWith("warn: Orleans.") || fileOnly.Any(l.StartsWith));
            string path = silos[0].Output.Split('\n').Single(l => l.StartsWith(notice))[notice.Length..];
            Assert.Matches(@"Warning Orleans\.Runtime\.(Messaging\.Connection|MembershipService\.SiloHealthMonitor)", await File.ReadAllTextAsync(path, cancel));
            File.Delete(path);
        });
    }

    /// <summary>
    /// A client whose only gateway is killed mid-campaign lost the cluster with an internal error, a stack trace and
    /// exit 4: it says in one line that the connection is lost and where the campaign may go on, and exits 3 (incomplete).
    /// The line names the campaign and the commands that follow it through another gateway: its id was printed nowhere.
    /// It says so about 5 s after the gateway went, not after 45 s of failed polls.
    /// </summary>
    [Fact]
    public async Task A_client_whose_gateway_is_killed_says_the_cluster_is_lost()
    {
        await OnTwoJoinedSilos(TimeSpan.FromMinutes(3), async (silos, cancel) =>
        {
            // Killed once the client follows the campaign, which its warning of the time the runs will take says (a
            // report of their progress has come): not after a fixed 8 s, which a client still starting on a busy
            // machine (1.4 s to its first line on an idle one) would have been killed before submitting anything.
            var following = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var client = CliProcess.RunAsync(line => { if (line.Contains(" will take about ")) following.TrySetResult(); }, cancel,
                "explore", "--variant", "as-posted", "--workload", TestPaths.Scenario("pm-cycles.json"), "--runs", "50000000", "--cluster", silos[1].Gateway);
            await Task.WhenAny(following.Task, client).WaitAsync(cancel);
            if (client.IsCompleted) Assert.Fail($"the campaign ended before the kill: {await client}");
            silos[1].Kill();
            var clock = Stopwatch.StartNew();
            var run = await client;
            Assert.True(run.ExitCode == 3, $"exit {run.ExitCode} (3 = incomplete):\n{run}");
            Assert.Contains("lost the connection to the cluster", run.Errors);
            // Orleans says at once that the client's last gateway is gone (GatewayWatch); it once took 60 failed polls, about 45 s.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed.TotalSeconds:0} s to say so");
            Assert.Matches(@"campaign (\w{32}) goes on .*: follow it with 'smmu-actors campaign status \1' or 'smmu-actors campaign wait \1'", run.Errors);
            // What it had done, which Ctrl+C prints as a summary, was said nowhere.
            Assert.Matches(@"when last heard from, campaign (\w{32}) had done [\d,]+ of 50,000,000 runs and found [\d,]+ violations?; .*'smmu-actors campaign results \1'", run.Errors);
            Assert.DoesNotContain("this is a bug", run.Errors);
        });
    }

    /// <summary>
    /// A secondary's gateway still accepts a client once the primary is gone, but the cluster does not outlive its primary:
    /// joining through it printed Orleans' lifecycle warning and a stack trace of the call that could not reach instance 0.
    /// It is one line that says so.
    /// </summary>
    [Fact]
    public async Task Joining_through_a_secondary_whose_primary_is_gone_says_so_in_one_line()
    {
        await OnTwoJoinedSilos(TimeSpan.FromMinutes(3), async (silos, cancel) =>
        {
            silos[0].Kill();
            var run = await CliProcess.RunAsync(new Dictionary<string, string> { [LocalCluster.PortOffsetVariable] = silos[0].PortOffset.ToString() },
                cancel, "campaigns", "--cluster", silos[1].Gateway);
            Assert.True(run.ExitCode == 2, run.ToString());
            // The call that cannot reach instance 0 fails, or, as often, the join's time runs out first: either says why.
            string line = Assert.Single(run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: --cluster: ", line);
            Assert.Contains($"no primary silo (instance 0) answers on {silos[0].Gateway}, and a local cluster does not outlive it: start its silos again, instance 0 first", line);
        });
    }

    /// <summary>Two silo processes, both active in the membership before <paramref name="body"/> runs; stopped after it.</summary>
    static async Task OnTwoJoinedSilos(TimeSpan limit, Func<GrainSiloProcess[], CancellationToken, Task> body)
    {
        using var timeout = new CancellationTokenSource(limit);
        var silos = await StartCluster(2, timeout.Token);
        try
        {
            await using (var connection = await GrainConnection.ClusterAsync(silos[0].Gateway, timeout.Token))
                await WaitForActiveSilos(connection.Client, 2, timeout.Token);
            await body(silos, timeout.Token);
        }
        finally
        {
            foreach (var s in silos) s.Dispose();
        }
    }

    [Fact]
    public async Task The_client_with_a_bare_cluster_option_explores_on_silo_processes()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var silos = await StartCluster(2, timeout.Token);
        string dir = Directory.CreateTempSubdirectory("smmu-e2e-").FullName;
        // Something else listens on another instance's gateway port, as a port bound to 0 may: the client once took
        // such a listener for a gateway and never started (CI). It accepts connections and closes them.
        var stranger = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, LocalCluster.GatewayPort(9, silos[0].PortOffset));
        stranger.Start();
        var strangerLoop = Task.Run(async () =>
        {
            while (true) (await stranger.AcceptSocketAsync(timeout.Token)).Dispose();
        });
        try
        {
            var run = await CliProcess.RunAsync(new Dictionary<string, string> { [LocalCluster.PortOffsetVariable] = silos[0].PortOffset.ToString() },
                timeout.Token, "explore", "--variant", "as-posted", "--workload", TestPaths.Scenario("pm-cycles.json"), "--runs", "2000",
                "--seed", "21", "--cluster", "--json", Path.Combine(dir, "summary.json"), "--out", dir);
            string log = run.Output + run.Errors;
            Assert.True(run.ExitCode == 1, $"exit {run.ExitCode} (1 = violations found):\n{log}");

            using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "summary.json")));
            var root = summary.RootElement;
            var local = GrainScenarios.Local(GrainScenarios.Spec("pm-cycles.json"), 21, 2000);
            Assert.Equal("grains", root.GetProperty("engine").GetString());
            Assert.Equal(2000, root.GetProperty("runs").GetInt64());
            Assert.Equal(local.ViolationsByKind.Select(p => KeyValuePair.Create(Naming.Kebab(p.Key), p.Value)).OrderBy(p => p.Key),
                root.GetProperty("violationsByKind").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64())).OrderBy(p => p.Key));
            // Where it ran, in the JSON and on the console: both silos, and every batch of the campaign counted on one of them.
            var ranOn = root.GetProperty("ranOn");
            Assert.Equal($"the cluster at {string.Join(", ", silos.Select(s => s.Gateway))}", ranOn.GetProperty("where").GetString());
            var bySilo = ranOn.GetProperty("batchesBySilo").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
            var named = silos.Select(s => $"{s.SiloEndpoint} (silo {s.Instance})").Order().ToArray();
            Assert.Equal(named, bySilo.Keys.Order());
            Assert.Equal(2, ranOn.GetProperty("silos").GetInt32());
            Assert.Contains($"batches per silo: {named[0]} {bySilo[named[0]]}, {named[1]} {bySilo[named[1]]};", log);
        }
        finally
        {
            stranger.Stop();
            await Assert.ThrowsAnyAsync<Exception>(() => strangerLoop);
            foreach (var s in silos) s.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Bench_cluster_rates_each_cluster_against_the_local_engine_run_beside_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        string dir = Directory.CreateTempSubdirectory("smmu-bench-").FullName;
        try
        {
            var run = await CliProcess.RunAsync(timeout.Token, "bench-cluster", "--silos", "2", "--runs", "4000", "--warmup", "0",
                "--json", Path.Combine(dir, "bench.json"));
            Assert.True(run.ExitCode == 0, run.ToString());

            using var bench = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "bench.json")));
            var cluster = bench.RootElement.GetProperty("clusters")[0];
            Assert.Equal(2, cluster.GetProperty("silos").GetInt32());
            // Both silos on this machine: a lane per core of it, at least one per silo.
            Assert.Equal(ClusterWorkers.For([Environment.MachineName, Environment.MachineName], Environment.ProcessorCount), cluster.GetProperty("lanes").GetInt32());
            Assert.True(cluster.GetProperty("sameResult").GetBoolean());
            // The ratio is to the local engine run just before and just after the cluster's campaign.
            double before = cluster.GetProperty("localBefore").GetDouble(), after = cluster.GetProperty("localAfter").GetDouble();
            Assert.True(before > 0 && after > 0, run.ToString());
            Assert.Equal(cluster.GetProperty("runsPerSecond").GetDouble() / ((before + after) / 2), cluster.GetProperty("ratioToLocal").GetDouble(), 1e-9);
            Assert.Contains("local before / after", run.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// An installed tool carries no silo build: outside a clone, bench-cluster says where to run it, exit 2, before it
    /// measures anything (it used to warm the local engine up and then fail with an internal error).
    /// </summary>
    [Fact]
    public async Task Bench_cluster_outside_a_clone_says_to_run_it_in_one()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string dir = Directory.CreateTempSubdirectory("smmu-tool-").FullName;
        try
        {
            string built = Path.GetDirectoryName(GrainSiloProcess.BuiltDll("client", "smmu-actors.dll"))!;
            foreach (var file in Directory.EnumerateFiles(built, "*", SearchOption.AllDirectories))
            {
                string copy = Path.Combine(dir, Path.GetRelativePath(built, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
            var run = await CliProcess.RunAsync(Path.Combine(dir, "smmu-actors.dll"), dir, new Dictionary<string, string>(), timeout.Token,
                "bench-cluster", "--silos", "1", "--runs", "1000", "--warmup", "0",
                "--workload", Path.Combine(TestPaths.RepoRoot, "scenarios", "reviewer-race.json"));
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains("silo processes: bench-cluster starts them from a built clone of SmmuActors", run.Errors);
            Assert.Contains("dotnet run --project client -c Release -- bench-cluster", run.Errors);
            Assert.DoesNotContain("local engine:", run.Output);
            Assert.DoesNotContain("internal error", run.Output + run.Errors);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The search's figures: the local search on one worker and on one per core, in this process, then the partitioned
    /// one in this process and on a silo process; every one with the one-worker search's result.
    /// </summary>
    [Fact]
    public async Task Bench_cluster_search_measures_the_local_search_on_every_core_and_each_cluster()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        string dir = Directory.CreateTempSubdirectory("smmu-bench-").FullName;
        try
        {
            var run = await CliProcess.RunAsync(timeout.Token, "bench-cluster", "--search", "--variant", "no-reset-invalidate", "--silos", "1",
                "--json", Path.Combine(dir, "bench.json"));
            Assert.True(run.ExitCode == 0, run.ToString());
            using var bench = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "bench.json")));
            var figures = bench.RootElement.GetProperty("figures").EnumerateArray().ToList();
            Assert.All(figures, f => Assert.True(f.GetProperty("sameResult").GetBoolean(), f.GetProperty("where").GetString()));
            Assert.All(figures, f => Assert.Equal(2_165, f.GetProperty("states").GetInt64()));
            Assert.Equal("local engine, this process", figures[0].GetProperty("where").GetString());
            if (StateSpaceSearch.DefaultWorkers > 1)
            {
                Assert.Equal($"local engine, this process, {StateSpaceSearch.DefaultWorkers} workers", figures[1].GetProperty("where").GetString());
                Assert.Equal(StateSpaceSearch.DefaultWorkers, figures[1].GetProperty("partitions").GetInt32());
            }
            Assert.Contains(figures, f => f.GetProperty("where").GetString() == "1 silo process(es)");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--instance", "42")]
    [InlineData("--instance", "one")]
    [InlineData("--frobnicate")]
    [InlineData("--redis", "nohost")]
    // Nothing listens there: an unhandled exception and a stack trace per retry (exit 1) before the silo waited for Redis.
    [InlineData("--redis", "127.0.0.1:1")]
    [InlineData("--address", "127.0.0.2")]
    [InlineData("--redis", "127.0.0.1:6379", "--address", "not-an-ip")]
    // Not an address of this host (TEST-NET-1): an unhandled SocketException (exit 1) as the silo took a port there.
    [InlineData("--redis", "127.0.0.1:6379", "--address", "192.0.2.1")]
    // Bindable, but Orleans refused to advertise them: an unhandled OrleansConfigurationException, twice, exit 1.
    [InlineData("--redis", "127.0.0.1:6379", "--address", "0.0.0.0")]
    [InlineData("--redis", "127.0.0.1:6379", "--address", "::")]
    [InlineData("--redis", "127.0.0.1:6379", "--address", "255.255.255.255")]
    [InlineData("--dashboard", "0")]
    [InlineData("--campaign-retention", "0")]
    [InlineData("--campaign-retention", "a-week")]
    public async Task A_silo_given_bad_input_says_why_and_exits_two(params string[] args)
    {
        var run = await RunSiloAsync(0, args);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error:", run.Errors);
        // A value that does not parse names the kind of value wanted, as the client's do, not a .NET type.
        Assert.DoesNotContain("System.", run.Errors);
    }

    /// <summary>
    /// A second silo of a running instance bound the same ports beside it (Orleans shares them) and said it was ready, and
    /// clients landed on either: it refuses to start, and so does a silo whose port another program listens on, which
    /// it does not call a silo.
    /// </summary>
    [Fact]
    public async Task A_silo_whose_ports_are_taken_says_so_and_exits_2()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var running = await GrainSiloProcess.StartAsync(0, GrainSiloProcess.FreePortOffset(1), timeout.Token);
        var again = await RunSiloAsync(running.PortOffset, "--instance", "0");
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.StartsWith($"error: --instance 0: silo 0 is already running (127.0.0.1:{LocalCluster.SiloPort(0, running.PortOffset)} ", again.Errors);
        Assert.DoesNotContain("ready", again.Output);

        int offset = GrainSiloProcess.FreePortOffset(1);
        var stranger = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, LocalCluster.GatewayPort(0, offset));
        stranger.Start();
        try
        {
            var beside = await RunSiloAsync(offset, "--instance", "0");
            Assert.True(beside.ExitCode == 2, beside.ToString());
            // It once said "silo 0 is already running" of any program listening there.
            Assert.StartsWith($"error: --instance 0: 127.0.0.1:{LocalCluster.GatewayPort(0, offset)} already accepts connections (another program, ", beside.Errors);
            Assert.DoesNotContain("is already running", beside.Errors);
        }
        finally
        {
            stranger.Stop();
        }
    }

    /// <summary>A dashboard port in use was pages of logged stack traces and an unhandled IOException (exit 1).</summary>
    [Fact]
    public async Task A_silo_whose_dashboard_port_is_taken_says_so_and_exits_2()
    {
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
            var run = await RunSiloAsync(GrainSiloProcess.FreePortOffset(1), "--dashboard", port.ToString());
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Equal($"error: --dashboard {port}: cannot listen on 127.0.0.1:{port} (Address already in use)", run.Errors.Trim());
            Assert.Equal("", run.Output);
        }
        finally
        {
            taken.Stop();
        }
    }

    /// <summary>
    /// A dashboard on the silo's own silo or gateway port is free when checked, but the silo's listeners take it first: the
    /// dashboard then failed to bind, with pages of stack traces, exit 1, after the silo had joined its cluster.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dashboard_on_the_silos_own_port_is_refused_before_it_starts(bool gateway)
    {
        int offset = GrainSiloProcess.FreePortOffset(1);
        int port = gateway ? LocalCluster.GatewayPort(0, offset) : LocalCluster.SiloPort(0, offset);
        var run = await RunSiloAsync(offset, "--instance", "0", "--dashboard", port.ToString());
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"error: --dashboard {port}: silo 0's own {(gateway ? "gateway" : "silo")} port; give the dashboard another", run.Errors.Trim());
        Assert.Equal("", run.Output);
    }

    /// <summary>A malformed OTEL_EXPORTER_OTLP_ENDPOINT was an unhandled ArgumentException with its stack trace, exit 1.</summary>
    [Fact]
    public async Task A_silo_given_a_malformed_otlp_variable_names_it_and_exits_2()
    {
        var run = await RunSiloAsync(GrainSiloProcess.FreePortOffset(1), new Dictionary<string, string> { [TelemetryOptions.OtlpEnvironment] = "garbage" },
            "--instance", "0");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"error: {TelemetryOptions.OtlpEnvironment}: 'garbage' is not an http(s) URI such as http://localhost:4317", run.Errors.Trim());
        Assert.Equal("", run.Output);
    }

    static Task<CliProcess.Result> RunSiloAsync(int offset, params string[] args) => RunSiloAsync(offset, new Dictionary<string, string>(), args);

    /// <summary>
    /// The built silo, on the local cluster's ports shifted by <paramref name="offset"/>, run to its end or killed after
    /// 40 s: one that started after all runs until stopped. <paramref name="environment"/> is added to its own.
    /// </summary>
    static async Task<CliProcess.Result> RunSiloAsync(int offset, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(GrainSiloProcess.BuiltDll("silo", "SmmuActors.Silo.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment[LocalCluster.PortOffsetVariable] = offset.ToString();
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var silo = Process.Start(info)!;
        var output = silo.StandardOutput.ReadToEndAsync();
        var errors = silo.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        try { await silo.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException) { silo.Kill(entireProcessTree: true); }
        await silo.WaitForExitAsync();
        return new CliProcess.Result(silo.ExitCode, await output, await errors);
    }

    /// <summary>
    /// A malformed SMMU_ACTORS_PORT_OFFSET was taken for 0, by silo and client alike, so they went to another cluster's
    /// ports; one too large for the ports was an unhandled ArgumentOutOfRangeException in the silo (exit 1). Both refuse it.
    /// </summary>
    [Theory]
    [InlineData("abc")]
    [InlineData("-30000")]
    [InlineData("60000")]
    public async Task A_malformed_port_offset_is_refused_by_name(string offset)
    {
        var env = new Dictionary<string, string> { [LocalCluster.PortOffsetVariable] = offset };
        string expected = $"error: {LocalCluster.PortOffsetVariable}: '{offset}' is not a port offset (a whole number from 0 to {LocalCluster.MaxPortOffset}";
        var silo = await RunSiloAsync(0, env, "--instance", "0");
        Assert.True(silo.ExitCode == 2, silo.ToString());
        Assert.StartsWith(expected, silo.Errors);
        Assert.Equal("", silo.Output);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var client = await CliProcess.RunAsync(env, timeout.Token, "campaigns", "--cluster");
        Assert.True(client.ExitCode == 2, client.ToString());
        Assert.Contains(expected, client.Errors);
    }

    /// <summary>
    /// A bare --cluster joins through the primary's gateway: without it there is no cluster, whatever listens on the
    /// other instances' ports, and the client says so at once.
    /// </summary>
    [Fact]
    public async Task A_bare_cluster_option_without_the_primary_says_so_and_exits_2()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        int offset = GrainSiloProcess.FreePortOffset(2);
        var stranger = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, LocalCluster.GatewayPort(1, offset));
        stranger.Start();
        try
        {
            var clock = Stopwatch.StartNew();
            var run = await CliProcess.RunAsync(new Dictionary<string, string> { [LocalCluster.PortOffsetVariable] = offset.ToString() },
                timeout.Token, "explore", "--workload", TestPaths.Scenario("reviewer-race.json"), "--runs", "100", "--cluster");
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains($"--cluster: no primary silo (instance 0) answers on 127.0.0.1:{LocalCluster.GatewayPort(0, offset)}", run.Errors);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed.TotalSeconds:0} s");
        }
        finally
        {
            stranger.Stop();
        }
    }

    /// <summary>
    /// The README's Redis walkthrough exports SMMU_ACTORS_REDIS; in that shell an explicit --engine local still runs in this
    /// process (it once failed with "--redis: the local engine runs in this process", naming a flag nobody gave), and a
    /// command that does go to that Redis names the variable, not --redis, when nothing listens there.
    /// </summary>
    [Fact]
    public async Task The_environments_redis_gives_way_to_an_explicit_local_engine_and_is_named_when_it_fails()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var env = new Dictionary<string, string> { [RedisEndpoint.Variable] = "127.0.0.1:1" };
        string dir = Directory.CreateTempSubdirectory("smmu-env-redis-").FullName;
        var local = await CliProcess.RunAsync(env, timeout.Token, "explore", "--engine", "local", "--workload", TestPaths.Scenario("reviewer-race.json"),
            "--runs", "50", "--out", dir);
        Assert.True(local.ExitCode is 0 or 1, local.ToString());
        Assert.Contains("random strategy, local engine", local.Output);

        var cluster = await CliProcess.RunAsync(env, timeout.Token, "run", "--workload", TestPaths.Scenario("reviewer-race.json"));
        Assert.True(cluster.ExitCode == 2, cluster.ToString());
        Assert.Contains($"error: {RedisEndpoint.Variable}=127.0.0.1:1: nothing listens at 127.0.0.1:1", cluster.Errors);
        Assert.Contains("--engine local", cluster.Errors);
    }

    /// <summary>
    /// The default workload is a path from the repository's root: run elsewhere, the error says so rather than only "no such
    /// file" (found by a new user's walkthrough); a workload given by its full path runs from anywhere.
    /// </summary>
    [Fact]
    public async Task The_default_workload_outside_the_repository_says_where_to_run()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        string dir = Directory.CreateTempSubdirectory("smmu-elsewhere-").FullName;
        try
        {
            string dll = GrainSiloProcess.BuiltDll("client", "smmu-actors.dll");
            var run = await CliProcess.RunAsync(dll, dir, new Dictionary<string, string>(), timeout.Token, "explore", "--runs", "5", "--out", dir);
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains("error: scenarios/reviewer-race.json: (file): no such file (the default --workload, a path from the repository's root", run.Errors);
            var given = await CliProcess.RunAsync(dll, dir, new Dictionary<string, string>(), timeout.Token, "explore", "--runs", "5", "--out", dir,
                "--workload", TestPaths.Scenario("reviewer-race.json"));
            Assert.True(given.ExitCode is 0 or 1, given.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Without the primary a secondary has no membership table to join: it says so and exits, rather than retry for ever.</summary>
    [Fact]
    public async Task A_secondary_silo_without_the_primary_says_to_start_instance_0_first_and_exits()
    {
        var clock = Stopwatch.StartNew();
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => GrainSiloProcess.StartAsync(1, GrainSiloProcess.FreePortOffset(2), CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed.TotalSeconds:0} s");
        Assert.Contains("start instance 0 first", failed.Message);
    }

    /// <summary>
    /// A Redis that accepts connections but never answers (stopped, or wedged) is named at once, rather than left to Orleans,
    /// which fails the start with a stack trace after its own timeouts.
    /// </summary>
    [Fact]
    public async Task A_redis_silo_whose_redis_accepts_but_never_answers_says_so_and_exits()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        string redis = $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        var clock = Stopwatch.StartNew();
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => GrainSiloProcess.StartRedisAsync(0, redis, CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed.TotalSeconds:0} s");
        Assert.Contains($"error: --redis: {redis} accepts connections but did not answer a PING within 3 s", failed.Message);
    }

    internal static async Task WaitForActiveSilos(IClusterClient client, int count, CancellationToken cancel)
    {
        while ((await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count < count)
            await Task.Delay(100, cancel);
    }

    /// <summary>The primary first (it holds the membership table), then the others together.</summary>
    internal static async Task<GrainSiloProcess[]> StartCluster(int count, CancellationToken cancel)
    {
        int offset = GrainSiloProcess.FreePortOffset(count);
        var primary = await GrainSiloProcess.StartAsync(0, offset, cancel);
        try
        {
            var others = await Task.WhenAll(Enumerable.Range(1, count - 1).Select(i => GrainSiloProcess.StartAsync(i, offset, cancel)));
            return [primary, .. others];
        }
        catch
        {
            primary.Dispose();
            throw;
        }
    }
}
