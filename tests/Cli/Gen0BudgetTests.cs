using SmmuActors.Client.Commands;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// bench and bench-cluster warn when .NET cannot read the cache size it sizes gen0 from and nothing in the environment
/// settles the budget, and only then: a warning on every machine would be ignored, and none where it applies would leave
/// figures taken at thirty times the collections unexplained.
/// </summary>
[Trait("Suite", "Cli")]
public sealed class Gen0BudgetTests
{
    static Func<string, string?> Env(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void WarnsWhereSysfsHidesTheCacheAndNothingSettlesTheBudget()
    {
        var note = Gen0Budget.Warning(linux: true, cacheShown: false, Env());
        Assert.NotNull(note);
        Assert.Contains($"{Gen0Budget.Variable}={Gen0Budget.Suggested}", note);
    }

    [Theory]
    [InlineData("DOTNET_GCgen0size")]
    [InlineData("COMPlus_GCgen0size")]
    [InlineData("DOTNET_GCCacheSizeFromSysConf")]
    [InlineData("COMPlus_GCCacheSizeFromSysConf")]
    public void AnyVariableTheRuntimeReadsForItSettlesIt(string variable) =>
        Assert.Null(Gen0Budget.Warning(linux: true, cacheShown: false, Env((variable, "1"))));

    [Fact]
    public void AnEmptyVariableSettlesNothing() =>
        Assert.NotNull(Gen0Budget.Warning(linux: true, cacheShown: false, Env((Gen0Budget.Variable, ""))));

    [Fact]
    public void NoWarningWhereTheCollectorCanSizeGen0Itself()
    {
        Assert.Null(Gen0Budget.Warning(linux: true, cacheShown: true, Env()));
        Assert.Null(Gen0Budget.Warning(linux: false, cacheShown: false, Env()));
    }
}
