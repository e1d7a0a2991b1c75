using SmmuActors.Client;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Cli;

/// <summary>Shell completion offers the values an option takes, through System.CommandLine's completion API.</summary>
[Trait("Suite", "Cli")]
public class CompletionTests
{
    static string[] Complete(string commandLine) =>
        CliApp.Root().Parse(commandLine).GetCompletions().Select(c => c.Label).ToArray();

    [Theory]
    [InlineData("run --variant ")]
    [InlineData("explore --variant ")]
    [InlineData("bench-cluster --variant ")]
    public void VariantOffersEveryPreset(string commandLine) =>
        Assert.Superset(Variants.Presets.Select(p => p.Name).ToHashSet(), Complete(commandLine).ToHashSet());

    [Fact]
    public void ExploreAlsoOffersAll()
    {
        Assert.Contains("all", Complete("explore --variant "));
        Assert.DoesNotContain("all", Complete("run --variant "));
    }

    /// <summary>System.CommandLine matches what is typed anywhere in a value, not only at its start.</summary>
    [Fact]
    public void VariantCompletesWhatIsTyped() =>
        Assert.Equal(Variants.Presets.Select(p => p.Name).Where(n => n.Contains("mb")).Order(), Complete("run --variant mb").Order());

    [Fact]
    public void SetOffersEverySwitchWithEachValue()
    {
        var offered = Complete("explore --set ");
        foreach (var s in Variants.Switches)
            foreach (var v in s.Values)
                Assert.Contains($"{s.Name}={v}", offered);
        Assert.Equal(["stop-gate=cas", "stop-gate=none", "stop-gate=outside"], Complete("explore --set stop-gate=").Order());
    }

    [Theory]
    [InlineData("explore --engine ", "local", "grains")]
    [InlineData("run --engine ", "local", "grains")]
    [InlineData("bench --engines ", "local", "grains")]
    [InlineData("explore --strategy ", "random", "exhaustive")]
    public void EnumeratedOptionsOfferTheirValues(string commandLine, string one, string other)
    {
        var offered = Complete(commandLine);
        Assert.Contains(one, offered);
        Assert.Contains(other, offered);
    }
}
