using SmmuActors.Contracts;
using SmmuActors.Grains.Execution;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Grains;

/// <summary>
/// <see cref="Lockstep"/> over in-process component hosts (no silo): what each call carried, in the order the calls
/// were made, against the sweep it must follow and the local engine's traces.
/// </summary>
[Trait("Suite", "Cluster")]
public sealed class LockstepTests
{
    const ulong Seed = 7;

    [Theory]
    [InlineData("reviewer-race.json", 300)]
    [InlineData("storm.json", 120)]
    [InlineData("pm-cycles.json", 120)]
    public async Task Each_run_goes_on_in_the_same_sweep_when_its_next_component_comes_later(string workload, int runs)
    {
        var spec = GrainScenarios.Spec(workload);
        var model = spec.Build();
        var log = new List<(int Component, int[] Runs)>();
        var components = Enumerable.Range(0, model.Actors).Select(c => (IComponentGrain)new Recorded(c, log)).ToArray();
        var results = await new Lockstep(components).Run(spec, Executions(model, runs), CancellationToken.None);

        // The calls of one sweep go in rising actor order; a call to an actor no later than the one before starts the next.
        var sweep = new int[log.Count];
        for (int i = 1; i < log.Count; i++) sweep[i] = sweep[i - 1] + (log[i].Component <= log[i - 1].Component ? 1 : 0);
        var deliveries = new List<(int Component, int Sweep)>[runs];
        for (int r = 0; r < runs; r++) deliveries[r] = [];
        for (int i = 0; i < log.Count; i++)
            foreach (int r in log[i].Runs) deliveries[r].Add((log[i].Component, sweep[i]));
        int sameSweep = 0;
        for (int r = 0; r < runs; r++)
        {
            Assert.Equal(results[r].Steps, deliveries[r].Count);
            for (int k = 1; k < deliveries[r].Count; k++)
            {
                var (before, after) = (deliveries[r][k - 1], deliveries[r][k]);
                int expected = after.Component > before.Component ? before.Sweep : before.Sweep + 1;
                Assert.True(after.Sweep == expected,
                    $"run {r}: delivery {k} (to {after.Component}) went in sweep {after.Sweep} after one to {before.Component} in sweep {before.Sweep}, expected sweep {expected}");
                if (after.Sweep == before.Sweep) sameSweep++;
            }
        }
        // Not a sweep of one delivery a run, which is what a round was.
        Assert.True(sameSweep > 0, "no run took two deliveries in one sweep");
        Assert.True(log.Count < results.Sum(r => r.Steps) / runs * model.Actors, $"{log.Count} calls for {runs} runs");
    }

    [Theory]
    [InlineData("reviewer-race.json")]
    [InlineData("storm.json")]
    [InlineData("full-queue.json")]
    public async Task Every_run_gives_the_local_engines_trace(string workload)
    {
        const int Runs = 150;
        var spec = GrainScenarios.Spec(workload);
        var model = spec.Build();
        var components = Enumerable.Range(0, model.Actors).Select(c => (IComponentGrain)new Recorded(c, [])).ToArray();
        var lockstep = new Lockstep(components);
        // Twice through the same hosts: the second batch must start every component afresh.
        for (int batch = 0; batch < 2; batch++)
        {
            var results = await lockstep.Run(spec, Executions(model, Runs), CancellationToken.None);
            for (int i = 0; i < Runs; i++)
                Assert.Equal(LocalEngine.Run(model, RandomBatch.Strategy(model, Seed, i)).TraceHash, results[i].TraceHash);
        }
    }

    [Fact]
    public async Task A_cancelled_batch_stops_between_sweeps()
    {
        using var cancel = new CancellationTokenSource();
        var (spec, model, log, components) = Storm(after: 20, cancel);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Lockstep(components).Run(spec, Executions(model, 50), cancel.Token));
        // The sweep under way when the token was cancelled ends, and no other starts: at most one call per actor more.
        Assert.InRange(log.Count, 20, 20 + model.Actors);
    }

    /// <summary>
    /// A cut (a stop of `run` or `replay`) ends every run where it is, between sweeps, and hands each back pruned: the
    /// same run as the local engine's cut at the same step.
    /// </summary>
    [Fact]
    public async Task A_cut_batch_hands_back_each_run_as_the_local_engine_cut_at_the_same_step()
    {
        using var cut = new CancellationTokenSource();
        var (spec, model, log, components) = Storm(after: 20, cut);
        var results = await new Lockstep(components).Run(spec, Executions(model, 50), CancellationToken.None, cut.Token);
        Assert.InRange(log.Count, 20, 20 + model.Actors);
        for (int i = 0; i < results.Length; i++)
        {
            Assert.True(results[i].Pruned, $"run {i} was not cut");
            Assert.InRange(results[i].Steps, 1, 100);
            var local = LocalEngine.Run(model, RandomBatch.Strategy(model, Seed, i), pruner: new AfterSteps(results[i].Steps));
            Assert.Equal((local.TraceHash, local.Steps, local.EndTime), (results[i].TraceHash, results[i].Steps, results[i].EndTime));
        }
    }

    /// <summary>
    /// A cut while a component's call is under way does not wait for it (a component's first call builds the scenario,
    /// over a second for a long program): the runs come back as they were before that call.
    /// </summary>
    [Fact]
    public async Task A_cut_does_not_wait_for_the_call_under_way()
    {
        using var cut = new CancellationTokenSource();
        var (spec, model, log, components) = Storm(after: 10, cut, hang: true);
        var results = await new Lockstep(components).Run(spec, Executions(model, 5), CancellationToken.None, cut.Token).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(10, log.Count);
        Assert.All(results, r => Assert.True(r.Pruned));
        // Each delivery of the nine calls answered is a step; the tenth's are not.
        Assert.Equal(log.Take(9).Sum(c => c.Runs.Length), results.Sum(r => r.Steps));
    }

    /// <summary>storm's scenario with a recorded component per actor, the <paramref name="after"/>-th call cancelling <paramref name="cancel"/>.</summary>
    static (ScenarioSpec Spec, ScenarioModel Model, List<(int Component, int[] Runs)> Log, IComponentGrain[] Components) Storm(int after, CancellationTokenSource cancel, bool hang = false)
    {
        var spec = GrainScenarios.Spec("storm.json");
        var model = spec.Build();
        var log = new List<(int Component, int[] Runs)>();
        return (spec, model, log, Enumerable.Range(0, model.Actors).Select(c => (IComponentGrain)new Recorded(c, log, after, cancel, hang)).ToArray());
    }

    sealed class AfterSteps(long steps) : IPruner
    {
        public bool Prune(IComponent[] components, Model.Sim.Execution run) => run.Fabric.Steps >= steps;
    }

    static Model.Sim.Execution[] Executions(ScenarioModel model, int runs) =>
        Enumerable.Range(0, runs).Select(i => model.NewExecution(RandomBatch.Strategy(model, Seed, i), recordTrace: false, recordChoices: false)).ToArray();

    /// <summary>A component grain's body in process, logging which runs each call carried.</summary>
    /// <paramref name="hang"/>: the call that cancels never answers, as one still building a long scenario.
    sealed class Recorded(int component, List<(int Component, int[] Runs)> log, int after = int.MaxValue, CancellationTokenSource? cancel = null, bool hang = false) : IComponentGrain
    {
        readonly ComponentHost _host = new();

        public Task<Delivered> Deliver(BatchTicket ticket, int call, Deliveries deliveries)
        {
            Assert.Equal(_host.CallsOf(ticket.Batch), call);
            log.Add((component, deliveries.Runs.AsSpan(0, deliveries.Count).ToArray()));
            if (log.Count == after)
            {
                cancel!.Cancel();
                if (hang) return new TaskCompletionSource<Delivered>().Task;
            }
            return Task.FromResult(_host.Deliver(ticket, deliveries));
        }

        public Task Retire() => Task.CompletedTask;
    }
}
