using SmmuActors.Grains.Hosting;

namespace SmmuActors.Client.Engines;

/// <summary>
/// What a client does when no silo of a Redis cluster answered within its join limit, from the cluster's membership
/// table. Silos started after the cluster lost its silos stay joining until the lost ones are declared dead (about
/// 30 s): told then to start a silo, a user would start one more that joins no sooner, so the client says they are
/// joining and tries again. So too for a silo that turned active meanwhile: the client read the gateways as it started,
/// and re-reads them only every minute.
/// </summary>
public static class JoinAdvice
{
    /// <summary>How long in all a client waits for silos that are joining or have just joined.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>A row of a silo started longer ago and still listed as joining is one left by a silo lost while it joined.</summary>
    static readonly TimeSpan JoinsWithin = TimeSpan.FromMinutes(2);

    /// <summary>An active silo writes its row every 5 s (SiloSetup); a row older than this is a lost silo's not yet declared dead.</summary>
    static readonly TimeSpan AliveWithin = TimeSpan.FromSeconds(30);

    /// <summary>Whether to try the join again and, if not, the error; if so, the note to give once (null: none).</summary>
    public sealed record Step(bool Again, string? Say);

    /// <param name="members">The membership table's rows.</param>
    /// <param name="now">UTC, as the rows' times.</param>
    /// <param name="waited">How long the client has waited for a silo so far.</param>
    public static Step Next(string redis, IReadOnlyCollection<MembershipEntry> members, DateTime now, TimeSpan waited)
    {
        var joining = Names(members.Where(m => m.Status is SiloStatus.Created or SiloStatus.Joining && now - m.StartTime < JoinsWithin));
        var alive = Names(members.Where(m => m.Status == SiloStatus.Active && now - m.IAmAliveTime < AliveWithin));
        string none = $"no silo of the cluster kept in {redis} answered within {waited.TotalSeconds:0} s";
        if (waited < Patience && joining.Length > 0)
            return new(true, $"{none}: {List(joining)} {Be(joining)} joining it (silos started after the cluster lost its silos join once " +
                             $"those are declared dead, about 30 s); waiting for {(joining.Length == 1 ? "it" : "them")}");
        if (waited < Patience && alive.Length > 0) return new(true, null);
        if (joining.Length > 0) return new(false, $"{none}; {List(joining)} {Be(joining)} still joining it: see {(joining.Length == 1 ? "its" : "their")} console");
        if (alive.Length > 0) return new(false, $"{none}, though {List(alive)} {Be(alive)} active in it: can this host reach {(alive.Length == 1 ? "its gateway" : "their gateways")}?");
        return new(false, $"{none}; start one with: dotnet run --project silo -c Release -- --redis {redis}");
    }

    static string[] Names(IEnumerable<MembershipEntry> members) => members.Select(m => SiloNames.Of(m.SiloAddress, m.SiloName)).Order().ToArray();

    static string List(string[] names) => string.Join(", ", names);

    static string Be(string[] names) => names.Length == 1 ? "is" : "are";
}
