using System.Text.Json.Nodes;

namespace SmmuActors.Tests.Support;

/// <summary>
/// reviewer-race's queue and SMMU with one CPU's program of 400,000 maps and unmaps: a single run of 7,800,001 steps, some
/// seconds long on the local engine, for tests of a stop that must cut a run rather than wait for it. A single run on
/// grains takes a grain call a step, so a tenth of the program (780,001 steps) is as long there, and it is built faster:
/// the lane and each component build the scenario, over a second each for the whole program on a busy machine.
/// </summary>
public static class LongRunWorkload
{
    public const string Name = "long-run";

    /// <summary>The steps of the run of <see cref="Json"/> with <paramref name="ops"/> operations, to its end: 39 a pair of them.</summary>
    public static long Steps(int ops) => ops * 39L / 2 + 1;

    public static string Json(int ops = 400_000)
    {
        var workload = JsonNode.Parse(File.ReadAllText(TestPaths.Scenario("reviewer-race.json")))!.AsObject();
        workload.Remove("pins");
        workload["name"] = Name;
        workload["threads"] = new JsonArray(new JsonObject
        {
            ["name"] = "cpu0",
            ["program"] = new JsonArray(Enumerable.Range(0, ops)
                .Select(i => (JsonNode)new JsonObject { ["op"] = i % 2 == 0 ? "unmap" : "map", ["iova"] = "A" }).ToArray()),
        });
        workload["bounds"] = new JsonObject { ["maxSteps"] = 100_000_000, ["maxStates"] = 1000 };
        return workload.ToJsonString();
    }
}
