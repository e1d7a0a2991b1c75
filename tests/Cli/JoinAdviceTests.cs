using System.Net;
using SmmuActors.Client.Engines;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// A client that no silo of a Redis cluster answered reads the membership table: silos restarted after the cluster lost
/// its silos are listed as joining until those are declared dead, and the client waits for them, and for silos that
/// have just turned active, rather than tell the user to start a silo, which would join no sooner.
/// </summary>
[Trait("Suite", "Cli")]
public class JoinAdviceTests
{
    const string Redis = "127.0.0.1:6379";
    static readonly DateTime Now = new(2026, 12, 6, 21, 29, 10, DateTimeKind.Utc);
    static readonly TimeSpan Waited = TimeSpan.FromSeconds(10);
    const string StartOne = "no silo of the cluster kept in 127.0.0.1:6379 answered within 10 s; start one with: dotnet run --project silo -c Release -- --redis 127.0.0.1:6379";

    static MembershipEntry Row(int port, SiloStatus status, string name, int startedAgo, int aliveAgo) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1),
        Status = status,
        SiloName = name,
        StartTime = Now.AddSeconds(-startedAgo),
        IAmAliveTime = Now.AddSeconds(-aliveAgo),
    };

    // Both silos killed with kill -9 a minute ago (still listed active, their rows a minute old) and started again.
    static readonly MembershipEntry[] Killed = [Row(37985, SiloStatus.Active, "silo 0", 300, 76), Row(40653, SiloStatus.Active, "silo 1", 300, 74)];

    [Fact]
    public void Silos_restarted_after_every_silo_was_killed_are_waited_for_as_joining()
    {
        MembershipEntry[] table = [.. Killed, Row(33119, SiloStatus.Joining, "silo 0", 11, 11), Row(40369, SiloStatus.Created, "silo 1", 11, 11)];
        Assert.Equal(new JoinAdvice.Step(true, "no silo of the cluster kept in 127.0.0.1:6379 answered within 10 s: 127.0.0.1:33119 (silo 0), " +
                                               "127.0.0.1:40369 (silo 1) are joining it (silos started after the cluster lost its silos join once those " +
                                               "are declared dead, about 30 s); waiting for them"),
            JoinAdvice.Next(Redis, table, Now, Waited));
    }

    [Fact]
    public void A_silo_that_turned_active_after_the_client_read_the_gateways_is_tried_again_without_a_word()
    {
        MembershipEntry[] table = [.. Killed, Row(33119, SiloStatus.Active, "silo 0", 11, 2)];
        Assert.Equal(new JoinAdvice.Step(true, null), JoinAdvice.Next(Redis, table, Now, Waited));
    }

    [Fact]
    public void Only_lost_silos_mean_starting_one()
    {
        MembershipEntry[] table = [.. Killed, Row(45779, SiloStatus.Dead, "silo 2", 600, 400), Row(45761, SiloStatus.Joining, "silo 3", 121, 121)];
        Assert.Equal(new JoinAdvice.Step(false, StartOne), JoinAdvice.Next(Redis, table, Now, Waited));
        Assert.Equal(new JoinAdvice.Step(false, StartOne), JoinAdvice.Next(Redis, [], Now, Waited));
    }

    [Fact]
    public void A_silo_joining_for_longer_than_the_client_waits_is_named_in_the_error()
    {
        MembershipEntry[] table = [Row(33119, SiloStatus.Joining, "silo 0", 100, 100)];
        Assert.Equal(new JoinAdvice.Step(false, "no silo of the cluster kept in 127.0.0.1:6379 answered within 120 s; 127.0.0.1:33119 (silo 0) is still joining it: see its console"),
            JoinAdvice.Next(Redis, table, Now, JoinAdvice.Patience));
    }
}
