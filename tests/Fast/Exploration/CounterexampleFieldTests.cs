using System.Text.Json.Nodes;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Exploration;

/// <summary>
/// A hand-edited counterexample fails on the field it got wrong, when it is loaded, rather than later as a choice
/// that does not fit the workload.
/// </summary>
[Trait("Suite", "Fast")]
public class CounterexampleFieldTests
{
    static readonly string Saved = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "tests", "Search", "counterexamples", "storm-msi-lost-command.json"));

    static string With(string field, string value) => WithJson(field, JsonValue.Create(value));

    static string WithJson(string field, JsonNode? value)
    {
        var o = JsonNode.Parse(Saved)!.AsObject();
        o[field] = value;
        return o.ToJsonString();
    }

    /// <summary>The saved choices with a float in place of the third.</summary>
    static JsonNode ChoicesWithAFloat()
    {
        var choices = JsonNode.Parse(Saved)!["choices"]!.DeepClone().AsArray();
        choices[2] = 1.5;
        return choices;
    }

    [Fact]
    public void TheSavedOneLoads() => Assert.Equal("lost-command", Counterexample.FromJson(Saved, "cx.json").Kind);

    [Theory]
    [InlineData("strategy", "foo", "a counterexample comes from random or exhaustive")]
    [InlineData("strategy", "replay", "a counterexample comes from random or exhaustive")]
    [InlineData("kind", "lost-comand", "unknown violation kind 'lost-comand'")]
    [InlineData("traceHash", "zz", "not 32 lower-case hex digits")]
    [InlineData("traceHash", "4CB588341DF69AFBDE016DD3728B909B", "not 32 lower-case hex digits")]
    public void ABadFieldIsNamed(string field, string value, string reason)
    {
        var e = Assert.Throws<WorkloadException>(() => Counterexample.FromJson(With(field, value), "cx.json"));
        Assert.Equal(("cx.json", field), (e.File, e.Field));
        Assert.Contains(reason, e.Reason);
    }

    [Fact]
    public void ANegativeSeedIsNamedWithTheTypeItShouldBe()
    {
        var e = Assert.Throws<WorkloadException>(() => Counterexample.FromJson(WithJson("seed", -3), "cx.json"));
        Assert.Equal(("cx.json", "seed", "expected a whole number from 0 to 18446744073709551615, found -3"), (e.File, e.Field, e.Reason));
    }

    /// <summary>A negative count (found by a CLI audit: each replayed as reproduced, with no word of it).</summary>
    [Theory]
    [InlineData("steps")]
    [InlineData("runIndex")]
    [InlineData("delays")]
    [InlineData("stepsBeforeShrink")]
    [InlineData("opsBeforeShrink")]
    public void A_negative_count_is_named(string field)
    {
        var e = Assert.Throws<WorkloadException>(() => Counterexample.FromJson(WithJson(field, -4), "cx.json"));
        Assert.Equal(("cx.json", field, "expected a count, 0 or more, found -4"), (e.File, e.Field, e.Reason));
        Counterexample.FromJson(WithJson(field, 0), "cx.json");
    }

    [Fact]
    public void AFloatAmongTheChoicesIsNamedByItsIndex()
    {
        var e = Assert.Throws<WorkloadException>(() => Counterexample.FromJson(WithJson("choices", ChoicesWithAFloat()), "cx.json"));
        Assert.Equal(("cx.json", "choices[2]"), (e.File, e.Field));
        Assert.StartsWith("expected a whole number from ", e.Reason);
        Assert.EndsWith(", found 1.5", e.Reason);
    }

    [Fact]
    public void ANumberAmongTheSettingsIsNamedByItsIndex()
    {
        var e = Assert.Throws<WorkloadException>(() => Counterexample.FromJson(WithJson("settings", new JsonArray("loads=armv8", 7)), "cx.json"));
        Assert.Equal(("cx.json", "settings[1]", "expected a string, found a number"), (e.File, e.Field, e.Reason));
    }

    [Fact]
    public void ASwitchSetTwiceInTheSettingsIsNamed()
    {
        var settings = JsonNode.Parse(Saved)!["settings"]!.DeepClone().AsArray();
        int loads = settings.Select(x => (string)x!).ToList().IndexOf("loads=armv8"), last = settings.Count;
        settings.Add("loads=in-order");
        var cx = Counterexample.FromJson(WithJson("settings", settings), "cx.json");
        var e = Assert.Throws<WorkloadException>(() => cx.BuildVariant("cx.json"));
        Assert.Equal(("cx.json", $"settings[{last}]"), (e.File, e.Field));
        Assert.Equal($"'loads' is set twice (settings[{loads}] loads=armv8, settings[{last}] loads=in-order); give it once", e.Reason);
    }
}
