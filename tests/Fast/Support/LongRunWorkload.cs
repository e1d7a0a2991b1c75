using System.Text.Json.Nodes;

namespace SmmuActors.Tests.Support;

/// <summary>
/// reviewer-race's queue and SMMU with one CPU's program of 400,000 maps and unmaps: a single run of 7,800,001 steps, some
/// seconds long on the local engine, for tests of a stop that must cut a run rather than wait for it.
/// </summary>
public static class LongRunWorkload
{
    public const string Name = "long-run";

    public static string Json()
    {
        var workload = JsonNode.Parse(File.ReadAllText(TestPaths.Scenario("reviewer-race.json")))!.AsObject();
        workload.Remove("pins");
        workload["name"] = Name;
        workload["threads"] = new JsonArray(new JsonObject
        {
            ["name"] = "cpu0",
            ["program"] = new JsonArray(Enumerable.Range(0, 400_000)
                .Select(i => (JsonNode)new JsonObject { ["op"] = i % 2 == 0 ? "unmap" : "map", ["iova"] = "A" }).ToArray()),
        });
        workload["bounds"] = new JsonObject { ["maxSteps"] = 100_000_000, ["maxStates"] = 1000 };
        return workload.ToJsonString();
    }
}
