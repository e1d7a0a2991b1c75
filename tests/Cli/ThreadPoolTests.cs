using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// A campaign on the embedded silo leaves the thread pool free for the silo's own work: its timers and sockets
/// wait behind no lane. The pool is held at one thread per core, as it is whenever it does not grow, so lanes
/// that kept every thread on their own rounds would stall the silo for the whole campaign, and Orleans would
/// say so on standard error ("Thread Pool execution stalled", over the progress line).
/// </summary>
[Collection("cli")]
[Trait("Suite", "Cli")]
public sealed class ThreadPoolTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-pool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_campaign_on_the_embedded_silo_does_not_stall_the_thread_pool()
    {
        var pool = new Dictionary<string, string> { ["DOTNET_ThreadPool_ForceMaxWorkerThreads"] = Environment.ProcessorCount.ToString() };
        using var client = StoppedClient.Start("random runs on the", pool,
            "explore", "--engine", "grains", "--workload", TestPaths.Scenario("reviewer-race.json"), "--runs", "40000", "--out", Path.Combine(_dir, "cx"));
        await client.ExitedAsync(TimeSpan.FromMinutes(3));
        Assert.True(client.ExitCode is 0 or 1, client.ToString());
        Assert.DoesNotContain("Thread Pool execution stalled", client.Errors);
        Assert.DoesNotContain("Timer should have fired", client.Errors);
    }
}
