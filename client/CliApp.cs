using System.CommandLine;
using SmmuActors.Client.Commands;
using SmmuActors.Model.Litmus;

namespace SmmuActors.Client;

/// <summary>The command tree, built in one place so tests can run the CLI in-process.</summary>
public static class CliApp
{
    public static RootCommand Root() => new("SmmuActors: settle arm-smmu-v3 CMDQ / STOP-flag concurrency arguments by exploring a faithful model")
    {
        VariantsCommand.Create(),
        WorkloadsCommand.Create(),
        RunCommand.Create(),
        ExploreCommand.Create(),
        ReplayCommand.Create(),
        BenchCommand.Create(),
        BenchClusterCommand.Create(),
        CampaignsCommand.Create(),
        CampaignCommand.Create(),
        LitmusCommand.Create((test, maxStates, cancel) => LitmusExplorer.Run(test, cancel, maxStates)),
    };

    /// <summary><paramref name="stop"/> is the user's stop request (Ctrl+C, SIGTERM): the command prints what it has and exits 3.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken stop = default) => Cli.InvokeAsync(Root(), args, stop);
}
