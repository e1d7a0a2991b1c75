using System.CommandLine;
using SmmuActors.Client.Engines;
using SmmuActors.Model.Exploration;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// When SmmuActors itself fails, the command says so and exits 4, distinct from every verdict and from bad input: what
/// failed, for a random run the `run` that replays it alone, and the trace a bug report needs; no verdict is printed.
/// </summary>
[Collection("cli")]
[Trait("Suite", "Cli")]
public class InternalErrorTests
{
    static async Task<(int Exit, ConsoleCapture Output)> Failing(Exception e)
    {
        var command = new Command("explore");
        command.SetAction((Func<ParseResult, int>)(_ => throw e));
        using var capture = new ConsoleCapture();
        return (await SmmuActors.Client.Cli.InvokeAsync(new RootCommand { command }, ["explore"], CancellationToken.None), capture);
    }

    [Fact]
    public async Task A_model_fault_names_the_run_and_how_to_replay_it_and_exits_4()
    {
        var (exit, output) = await Failing(new ModelFaultException("random run 6 of the campaign with seed 77", "--seed 123",
            new InvalidOperationException("thread 0 at NotStarted")));
        Assert.Equal(SmmuActors.Client.Cli.InternalError, exit);
        Assert.Equal(4, exit);
        var err = output.Err.Split('\n');
        Assert.Equal("internal error: the model failed in random run 6 of the campaign with seed 77: InvalidOperationException: thread 0 at NotStarted", err[0]);
        Assert.Equal("that run alone: smmu-actors run --seed 123, with this command's --workload, --variant and --set", err[1]);
        Assert.StartsWith("this is a bug in SmmuActors, not a verdict", err[2]);
        Assert.StartsWith("System.InvalidOperationException: thread 0 at NotStarted", err[3]);
        Assert.Equal("", output.Out);
    }

    /// <summary>
    /// A loopback cluster's primary killed under a client that still had another gateway: that gateway rejected every poll
    /// (the membership table went with the primary), and after 60 failed polls the client said "internal error:
    /// OrleansMessageRejectionException ... this is a bug", exit 4. Polls that keep failing are a lost cluster, as a lost
    /// gateway is: INCOMPLETE, exit 3.
    /// </summary>
    [Fact]
    public async Task Polls_that_keep_failing_with_a_gateway_left_are_a_lost_cluster_not_a_bug()
    {
        var command = new Command("explore");
        command.SetAction((Func<ParseResult, int>)(_ =>
        {
            // No client: no gateway watch, so only the count of failures can end the retries.
            int failures = 0;
            for (int poll = 0; poll < 100; poll++) GatewayWatch.Retry(null!, ref failures, new OrleansException("Forwarding failed: the target silo is unavailable"));
            return 0;
        }));
        using var capture = new ConsoleCapture();
        int exit = await SmmuActors.Client.Cli.InvokeAsync(new RootCommand { command }, ["explore"], CancellationToken.None);
        Assert.True(exit == 3, capture.Err);
        Assert.StartsWith("INCOMPLETE: lost the connection to the cluster (60 polls in a row failed, the last with: Forwarding failed", capture.Out);
        Assert.Contains("is its primary (instance 0) gone?", capture.Out);
        Assert.DoesNotContain("this is a bug", capture.Err);
    }

    [Fact]
    public async Task Any_other_unexpected_exception_is_an_internal_error_too()
    {
        var (exit, output) = await Failing(new NullReferenceException("boom"));
        Assert.Equal(4, exit);
        Assert.StartsWith("internal error: NullReferenceException: boom", output.Err);
        Assert.DoesNotContain("that run alone", output.Err);
        Assert.Equal("", output.Out);
    }
}
