using SmmuActors.Client;

namespace SmmuActors.Tests.Cli;

/// <summary>Output that is not a terminal (CI logs, | tee): no word broken across lines, COLUMNS honoured.</summary>
[Collection("cli")]
[Trait("Suite", "Cli")]
public class PlainOutputTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("80")]
    public async Task VariantsKeepsEverySwitchAssignmentWhole(string? columns)
    {
        using var capture = new ConsoleCapture(columns);
        Assert.Equal(0, await CliApp.RunAsync(["variants"]));
        Assert.Contains("suspend-order=stop-then-disable", capture.Out);
        Assert.Contains("stop-check-after-full-wait", capture.Out);
        if (columns is not null) Assert.All(capture.OutLines, l => Assert.True(l.Length <= 80, l));
    }
}
