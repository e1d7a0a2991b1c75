using System.Text.Json;
using SmmuActors.Client;
using SmmuActors.Client.Commands;
using SmmuActors.Client.Engines;
using SmmuActors.Client.Rendering;
using SmmuActors.Model.Exploration;
using Spectre.Console;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// The line under a summary, and the JSON's ranOn, say where an exploration ran and, for a search split over silos,
/// that it was searched again from the start after losing one: the same result, in more time than it would have taken.
/// </summary>
[Collection("cli")]
[Trait("Suite", "Cli")]
public class PlacementViewTests
{
    static readonly ProcessFootprint Footprint = new(80, 0.4);

    static Placement Cluster(int restarts) =>
        new("grains", "the cluster at 127.0.0.1:30000", new Dictionary<string, int>(), new Dictionary<string, int> { ["127.0.0.1:11111 (silo 0)"] = 4, ["127.0.0.1:11112 (silo 1)"] = 3 }, restarts);

    static string Line(Placement p)
    {
        using var console = new ConsoleCapture(columns: "400");
        PlacementView.Write(AnsiConsole.Console, p, Footprint);
        return console.Out.Trim();
    }

    [Fact]
    public void A_search_with_no_silo_lost_says_nothing_of_restarts() =>
        Assert.Equal("ran on the grains engine in the cluster at 127.0.0.1:30000; partitions per silo: 127.0.0.1:11111 (silo 0) 4, 127.0.0.1:11112 (silo 1) 3; this process so far: 80 MiB resident at most, 0.4 CPU s",
            Line(Cluster(0)));

    [Theory]
    [InlineData(1, "searched again from the start 1 time after losing a silo")]
    [InlineData(2, "searched again from the start 2 times after losing a silo")]
    public void A_search_started_again_after_losing_a_silo_says_so_in_the_line_and_the_json(int restarts, string says)
    {
        Assert.Contains($"(silo 1) 3; {says}; this process", Line(Cluster(restarts)));
        var summary = new ExploreSummary("as-posted", [], "w", "exhaustive", "grains", 0, 1, 1, Exhausted: true, 0,
            new Dictionary<string, long>(), [], new Dictionary<string, long>(), [], [], 0);
        var json = JsonDocument.Parse(JsonOut.Explored(summary, Cluster(restarts), Footprint).ToJsonString()).RootElement;
        Assert.Equal(restarts, json.GetProperty("ranOn").GetProperty("restarts").GetInt32());
    }
}
