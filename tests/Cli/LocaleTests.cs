using System.Text.Json;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// The client as its own process in a locale of its own: the projects build with InvariantGlobalization, but
/// DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=0 brings LANG's culture back. Under sv_SE an outcome's key wrote -5 with U+2212
/// (a silo there counted the same outcome under a second key), the verdict said "20 000 runs", and --timeout 0.5 was
/// read by the culture's rules; now every number is written and read as everywhere else.
/// </summary>
[Trait("Suite", "Cli")]
public sealed class LocaleTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-locale-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_client_in_another_locale_writes_and_reads_numbers_as_everywhere_else()
    {
        string workload = Path.Combine(_dir, "negative.json");
        File.WriteAllText(workload, """
            { "name": "negative", "queueShift": 3, "vars": ["x", "y"],
              "threads": [
                { "name": "a", "program": [ { "op": "store", "var": "x", "value": -5 }, { "op": "load", "var": "y" } ] },
                { "name": "b", "program": [ { "op": "store", "var": "y", "value": 2 }, { "op": "load", "var": "x" } ] } ],
              "bounds": { "maxSteps": 5000, "maxStates": 100000 } }
            """);
        var swedish = new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "0", ["LANG"] = "sv_SE.UTF-8", ["LC_ALL"] = "sv_SE.UTF-8" };
        using var client = StoppedClient.Start("random runs on the", swedish, "explore", "--engine", "local", "--workload", workload,
            "--runs", "20000", "--seed", "3", "--json", Path.Combine(_dir, "r.json"), "--out", Path.Combine(_dir, "cx"));
        await client.ExitedAsync(TimeSpan.FromSeconds(120));
        Assert.True(client.ExitCode == 0, client.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "r.json")));
        Assert.Equal("NO VIOLATION FOUND (random, 20,000 runs)", json.RootElement.GetProperty("verdict").GetString());
        var outcomes = json.RootElement.GetProperty("outcomes").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains(outcomes, o => o.Contains("b:x=-5", StringComparison.Ordinal));
        Assert.DoesNotContain(outcomes, o => o.Contains('\u2212'));

        using var timed = StoppedClient.Start("exploring every allowed order", swedish, "explore", "--engine", "local", "--variant", "gate-outside-cas",
            "--workload", TestPaths.Scenario("full-queue.json"), "--strategy", "exhaustive", "--timeout", "0.5", "--out", Path.Combine(_dir, "cx2"));
        await timed.ExitedAsync(TimeSpan.FromSeconds(60));
        Assert.True(timed.ExitCode == 3, timed.ToString());
        Assert.Contains("INCOMPLETE (stopped by --timeout 0.5 s)", timed.Output);
    }
}
