using System.CommandLine;
using SmmuActors.Contracts;
using Spectre.Console;

namespace SmmuActors.Client.Commands;

/// <summary>`campaigns`: every campaign the cluster knows, oldest first, with its progress.</summary>
public static class CampaignsCommand
{
    public static Command Create()
    {
        var cluster = new ClusterInput();
        var cmd = new Command("campaigns", "list the cluster's campaigns (ids for 'campaign status|wait|results|cancel|forget')") { cluster.Gateways, cluster.Redis };
        cmd.SetAction(async (pr, cancel) =>
        {
            await using var connection = await CampaignAccess.ConnectAsync(cluster.Read(pr), cancel);
            var entries = await connection.Client.GetGrain<ICampaignIndexGrain>(0).List().WaitAsync(cancel);
            var table = new Table().AddColumns("id", "submitted (UTC)", "workload", "variant", "seed", "runs", "done", "violations", "state");
            foreach (var e in entries)
            {
                var s = await connection.Client.GetGrain<ICampaignGrain>(e.Id).Poll(TimeSpan.Zero).WaitAsync(cancel);
                // An index entry whose campaign has no state: memory storage lost it with its silo (loopback cluster).
                string state = !s.Started ? "record lost (its silo left)" : s.Error is { } error ? $"failed: {error}"
                    : s.Cancelled ? "cancelled" : s.Finished ? "finished" : "running";
                table.AddRow(CampaignAccess.Show(e.Id), $"{e.Submitted:yyyy-MM-dd HH:mm:ss}", e.Workload, e.Preset, $"{e.Seed}", $"{e.Runs:N0}", $"{s.Done:N0}",
                    $"{s.Violations:N0}", Markup.Escape(state));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }
}
