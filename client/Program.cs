using System.CommandLine;
using SmmuActors.Client;
using SmmuActors.Client.Commands;

var root = new RootCommand("SmmuActors: settle arm-smmu-v3 CMDQ / STOP-flag concurrency arguments by exploring a faithful model")
{
    VariantsCommand.Create(),
    RunCommand.Create(),
    ExploreCommand.Create(),
    ReplayCommand.Create(),
};
return await Cli.InvokeAsync(root, args);
