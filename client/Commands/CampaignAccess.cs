using SmmuActors.Client.Engines;
using SmmuActors.Contracts;
using SmmuActors.Grains.Hosting;
using SmmuActors.Reports;

namespace SmmuActors.Client.Commands;

/// <summary>
/// What every campaign command needs: a cluster that outlives this client (an embedded silo would take
/// its campaigns with it), and a campaign id as explore --detach printed it.
/// </summary>
public static class CampaignAccess
{
    public static Task<GrainConnection> ConnectAsync(ClusterAddress cluster, CancellationToken cancel) =>
        cluster.IsEmbedded
            ? throw new InputException($"--redis: campaigns live in a cluster; give --redis HOST:PORT (or set {RedisEndpoint.Variable}) or --cluster")
            : GrainConnection.ConnectAsync(cluster, traced: false, cancel);

    public static Guid ParseId(string id) =>
        Guid.TryParseExact(id, "N", out var g) || Guid.TryParse(id, out g)
            ? g
            : throw new InputException($"ID: '{id}' is not a campaign id (32 hex digits, as explore --detach printed it)");

    public static string Show(Guid id) => id.ToString("N");

    /// <summary>
    /// What an unfinished campaign is doing: its runs, or, with all of them done, shrinking its witnesses ("running (50,000
    /// of 50,000 runs)" read as a contradiction).
    /// </summary>
    public static string StillGoing(long done, long total) =>
        done >= total ? $"shrinking its counterexamples ({Plural.Count(total, "run")} done)" : $"running ({done:N0} of {Plural.Count(total, "run")})";

    /// <summary><paramref name="status"/>, if the cluster has the campaign <paramref name="id"/> at all.</summary>
    public static CampaignStatus Existing(Guid id, CampaignStatus status) =>
        status.Started ? status : throw new InputException($"ID: no campaign {Show(id)} in this cluster");
}
