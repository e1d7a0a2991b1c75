using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using SmmuActors.Client.Commands;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// `dotnet run` starts the client with the gen0 floor where sysfs hides the cache size (Directory.Build.targets), keeps a
/// floor the caller set, leaves machines that show the cache alone, and passes the program's arguments through intact.
/// The run command is read from MSBuild as `dotnet run` reads it (the ComputeRunArguments target) and then executed with
/// printenv or printf in the program's place, so the shell's quoting and defaults are what is tested.
/// </summary>
[Trait("Suite", "Cli")]
public sealed class Gen0FloorForRunTests
{
    static readonly string Client = Path.Combine(TestPaths.RepoRoot, "client", "SmmuActors.Client.csproj");
    static readonly string Hidden = Path.Combine(TestPaths.RepoRoot, "no-such-cache-directory");

    [Fact]
    public async Task WhereTheCacheIsHiddenDotnetRunSetsTheFloor()
    {
        if (!OperatingSystem.IsLinux()) return;
        var (command, arguments) = await RunCommand(Hidden);
        Assert.Equal("/bin/sh", command);
        Assert.Equal(Gen0Budget.Suggested, await Execute(command, arguments, "/usr/bin/printenv", "DOTNET_GCgen0size"));
    }

    [Fact]
    public async Task AFloorGivenWithDotnetRunEnvironmentStands()
    {
        if (!OperatingSystem.IsLinux()) return;
        // `dotnet run -e NAME=VALUE` sets the child's environment after MSBuild evaluated the project without it.
        var (command, arguments) = await RunCommand(Hidden);
        Assert.Equal("0x200000", await Execute(command, arguments, "/usr/bin/printenv", "DOTNET_GCgen0size", ("DOTNET_GCgen0size", "0x200000")));
    }

    [Fact]
    public async Task TheProgramsArgumentsPassThroughIntact()
    {
        if (!OperatingSystem.IsLinux()) return;
        var (command, arguments) = await RunCommand(Hidden);
        Assert.Equal("[explore][two words][a\"quote][$HOME]", await Execute(command, arguments, "/usr/bin/printf",
            "\"[%s]\" explore \"two words\" \"a\\\"quote\" $HOME"));
    }

    [Fact]
    public async Task WhereTheCacheIsShownTheProgramStartsAsItIs()
    {
        var (command, arguments) = await RunCommand(TestPaths.RepoRoot);
        Assert.EndsWith(Path.Combine("net10.0", "smmu-actors"), command.Replace(".exe", ""));
        Assert.DoesNotContain("GCgen0size", arguments);
    }

    public static TheoryData<string> SettlingVariables => new(Gen0Budget.SettledBy);

    // Every variable that silences bench's note also leaves `dotnet run` alone: the two lists must not drift apart.
    [Theory]
    [MemberData(nameof(SettlingVariables))]
    public async Task AVariableTheCallerSetLeavesTheProgramAsItIs(string variable)
    {
        var (command, arguments) = await RunCommand(Hidden, (variable, "1"));
        Assert.NotEqual("/bin/sh", command);
        Assert.DoesNotContain("GCgen0size", arguments);
    }

    [Fact]
    public void TheTestHostsGetTheSameFloor()
    {
        var settings = XDocument.Load(Path.Combine(TestPaths.RepoRoot, "tests", "gen0-floor.runsettings"));
        Assert.Equal(Gen0Budget.Suggested, settings.Descendants(Gen0Budget.Variable).Single().Value);
    }

    [Fact]
    public async Task TestProjectsTakeTheSettingsOnlyWhereTheCacheIsHidden()
    {
        if (!OperatingSystem.IsLinux()) return;
        string tests = Path.Combine(TestPaths.RepoRoot, "tests", "Fast", "SmmuActors.Tests.Fast.csproj");
        async Task<string> Settings(string probe) =>
            (await Evaluate(tests, probe, [], "-getProperty:RunSettingsFilePath", "-getProperty:IsTestProject")).GetProperty("RunSettingsFilePath").GetString()!;
        Assert.EndsWith(Path.Combine("tests", "gen0-floor.runsettings"), await Settings(Hidden));
        Assert.Equal("", await Settings(TestPaths.RepoRoot));
    }

    /// <summary>RunCommand and RunArguments as `dotnet run` computes them, with the cache probed at <paramref name="probe"/>.</summary>
    static async Task<(string Command, string Arguments)> RunCommand(string probe, params (string Name, string Value)[] environment)
    {
        var p = await Evaluate(Client, probe, environment, "-t:ComputeRunArguments", "-getProperty:RunCommand", "-getProperty:RunArguments");
        return (p.GetProperty("RunCommand").GetString()!, p.GetProperty("RunArguments").GetString()!);
    }

    /// <summary>The properties MSBuild gives <paramref name="project"/> (two or more -getProperty, which it prints as JSON).</summary>
    static async Task<JsonElement> Evaluate(string project, string probe, (string Name, string Value)[] environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "msbuild", project, "-nologo", "-nr:false", $"-p:Gen0CacheProbe={probe}" }.Concat(arguments))
            info.ArgumentList.Add(a);
        // The test host may run with the floor itself (tests/gen0-floor.runsettings): evaluate as a caller without it would.
        foreach (var v in Gen0Budget.SettledBy) info.Environment.Remove(v);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var (exit, output, error) = await Run(info);
        Assert.True(exit == 0, $"msbuild exited {exit}: {output}{error}");
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Properties").Clone();
    }

    /// <summary>Runs the command line `dotnet run` would, with <paramref name="program"/> in the client's place.</summary>
    static async Task<string> Execute(string command, string arguments, string program, string programArguments, params (string Name, string Value)[] environment)
    {
        string client = Path.Combine(TestPaths.RepoRoot, "client");
        int at = arguments.IndexOf('"' + client, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the client's path is not in {arguments}");
        int end = arguments.IndexOf('"', at + 1);
        var info = new ProcessStartInfo(command, $"{arguments[..at]}\"{program}\"{arguments[(end + 1)..]} {programArguments}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var v in Gen0Budget.SettledBy) info.Environment.Remove(v);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var (exit, output, error) = await Run(info);
        Assert.True(exit == 0, $"{command} {info.Arguments} exited {exit}: {output}{error}");
        return output.TrimEnd('\n');
    }

    static async Task<(int Exit, string Output, string Error)> Run(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
