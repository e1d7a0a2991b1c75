using SmmuActors.Tests.Support;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Exploration;

/// <summary>
/// A run the model fails on (an exception, a bug in SmmuActors) is reported as a fault naming that run and the `run`
/// options that replay it alone, never as a bare exception or a verdict; a cancellation stays a cancellation.
/// </summary>
[Trait("Suite", "Fast")]
public class ModelFaultTests
{
    const ulong Seed = 77;

    /// <summary>Runs the campaign's runs in order (each once unrecorded, a witness again recorded) and throws on run <paramref name="failing"/>.</summary>
    static Func<IStrategy, bool, ValueTask<RunResult>> FailOn(long failing, ScenarioModel model, Exception fault)
    {
        long run = -1;
        return (strategy, record) =>
        {
            if (!record && ++run == failing) throw fault;
            return ValueTask.FromResult(LocalEngine.Run(model, strategy, recordChoices: record));
        };
    }

    [Fact]
    public async Task A_run_that_throws_is_a_fault_naming_the_run_and_the_seed_that_replays_it()
    {
        var model = Scenarios.Shipped("reviewer-race.json");
        var bug = new InvalidOperationException("thread 0 at NotStarted");
        var fault = await Assert.ThrowsAsync<ModelFaultException>(async () =>
            await RandomBatch.RunAsync(model, Seed, 0, 10, FailOn(6, model, bug)));
        Assert.Same(bug, fault.InnerException);
        Assert.Equal("random run 6 of the campaign with seed 77", fault.Where);
        Assert.Equal($"--seed {RandomStrategy.RunSeed(Seed, 6)}", fault.Reproduce);
        Assert.Contains("InvalidOperationException: thread 0 at NotStarted", fault.Message);
    }

    /// <summary>What the fault tells the user to run: `run --seed N` is campaign run i, whose seed N is.</summary>
    [Fact]
    public void The_reproducing_seed_replays_that_campaign_run_alone()
    {
        var model = Scenarios.Shipped("reviewer-race.json");
        for (long i = 0; i < 20; i++)
            Assert.Equal(LocalEngine.Run(model, RandomBatch.Strategy(model, Seed, i)).TraceHash,
                LocalEngine.Run(model, StrategySpec.Random(RandomStrategy.RunSeed(Seed, i)).Create(model.Workload.Delays)).TraceHash);
    }

    [Fact]
    public async Task A_cancellation_is_not_a_fault()
    {
        var model = Scenarios.Shipped("reviewer-race.json");
        await Assert.ThrowsAsync<OperationCanceledException>(async () =>
            await RandomBatch.RunAsync(model, Seed, 0, 10, FailOn(2, model, new OperationCanceledException())));
    }
}
