using SmmuActors.Tests.Support;
using SmmuActors.Contracts;
using SmmuActors.Grains.Execution;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Grains;

/// <summary>The grain engine and the local engine give byte-identical traces, on whichever silo a lane runs.</summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class CrossEngineDeterminismTests(GrainClusterFixture fixture)
{
    const int Seeds = 200;
    const int Lanes = 4;
    const ulong Seed = 20260301;

    [Theory]
    [MemberData(nameof(GrainScenarios.ShippedWorkloads), MemberType = typeof(GrainScenarios))]
    public async Task Every_preset_gives_the_local_trace_hash_for_every_seed(string workload)
    {
        var silos = new HashSet<string>();
        var mismatches = new List<string>();
        foreach (var preset in GrainScenarios.Presets)
        {
            var spec = GrainScenarios.Spec(workload, preset);
            // The same lanes (and so the same component grains) serve every preset: a lane must rebuild on a new scenario.
            var grains = Task.WhenAll(Enumerable.Range(0, Lanes).Select(l =>
                fixture.Client.GetGrain<IFabricGrain>(l, $"determinism-{workload}").TraceHashes(spec, Seed, l * Seeds / Lanes, (l + 1) * Seeds / Lanes)));
            var model = spec.Build();
            var local = Enumerable.Range(0, Seeds).Select(i => LocalEngine.Run(model, RandomBatch.Strategy(model, Seed, i)).TraceHash).ToArray();
            var parts = await grains;
            silos.UnionWith(parts.Select(p => p.Silo));
            var hashes = parts.SelectMany(p => p.TraceHashes).ToArray();
            Assert.Equal(Seeds, hashes.Length);
            for (int i = 0; i < Seeds; i++)
                if (hashes[i] != local[i]) mismatches.Add($"{preset} run {i}: local {local[i]}, grains {hashes[i]}");
        }
        Assert.Empty(mismatches);
        Assert.Equal(2, silos.Count);
    }

    /// <summary>
    /// A component grain handles the deliveries of many runs into one outbox, each run's output after the previous
    /// run's. Under loads=armv8 memory reads its own answers back (a spin answered now: <c>MemoryComponent.SawAnswers</c>),
    /// and reading another run's answers there would change what that run's CPUs may read later, and its trace.
    /// </summary>
    [Theory]
    [InlineData("storm.json", "no-gate")]
    [InlineData("reviewer-race.json", "as-posted")]
    [InlineData("reviewer-race.json", "recheck-mb", "rmw-write=split")] // writes held back behind a split RMW's write (Fabric.Next)
    [InlineData("storm.json", "no-gate", "cons-advance=any")] // the SMMU's own timers: executions in any order, CONS steps
    public async Task Under_armv8_loads_every_seed_gives_the_local_trace_hash(string workload, string preset, string? extra = null)
    {
        var model = Scenarios.Shipped(workload, preset, extra is null ? ["loads=armv8"] : ["loads=armv8", extra]);
        var spec = ScenarioSpec.From(model, TestPaths.Scenario(workload));
        var grains = await fixture.Client.GetGrain<IFabricGrain>(0, $"armv8-{workload}").TraceHashes(spec, Seed, 0, Seeds);
        var local = Enumerable.Range(0, Seeds).Select(i => LocalEngine.Run(model, RandomBatch.Strategy(model, Seed, i)).TraceHash).ToArray();
        Assert.Equal(local, grains.TraceHashes);
    }

    /// <summary>
    /// Workload loads under loads=armv8 do not hold their thread: their answers come whenever they come, while the thread
    /// goes on, holds a store-release back behind them and reports the values in program order. Every seed, same trace.
    /// </summary>
    [Fact]
    public async Task Workload_loads_that_do_not_hold_their_thread_give_the_local_trace_hash()
    {
        const string text = """
            { "name": "lb-release", "queueShift": 3, "vars": ["x", "y", "z"],
              "threads": [
                { "name": "cpu0", "program": [ { "op": "load", "var": "x" }, { "op": "store-release", "var": "y", "value": 1 },
                                               { "op": "store", "var": "z", "value": 1 }, { "op": "load", "var": "y" } ] },
                { "name": "cpu1", "program": [ { "op": "load", "var": "z" }, { "op": "load", "var": "y" }, { "op": "store", "var": "x", "value": 1 } ] } ],
              "delays": { "min": 1, "max": 9, "longProbability": 0.2, "longMax": 60 } }
            """;
        var spec = new ScenarioSpec("lb-release.json", text, "as-posted", ["loads=armv8"]);
        var model = spec.Build();
        var grains = await fixture.Client.GetGrain<IFabricGrain>(0, "armv8-lb-release").TraceHashes(spec, Seed, 0, Seeds);
        var local = Enumerable.Range(0, Seeds).Select(i => LocalEngine.Run(model, RandomBatch.Strategy(model, Seed, i)).TraceHash).ToArray();
        Assert.Equal(local, grains.TraceHashes);
        Assert.True(local.Distinct().Count() > 10);
    }

    /// <summary>
    /// Beyond the shipped workloads: drawn ones (<see cref="DrawnWorkloads"/>) mix driver ops, workload loads and stores,
    /// barriers, device writes and power cycles under random presets and switches; 50 seeds of each on one lane.
    /// </summary>
    [Fact]
    public async Task Drawn_workloads_give_the_local_trace_hash_for_every_seed()
    {
        var rng = new Random(20261205);
        var lane = fixture.Client.GetGrain<IFabricGrain>(0, "determinism-drawn");
        var mismatches = new List<string>();
        for (int w = 0; w < 40; w++)
        {
            var drawn = DrawnWorkloads.Draw(rng, 100_000);
            var model = drawn.Build();
            var spec = ScenarioSpec.From(model, "drawn.json");
            var grains = await lane.TraceHashes(spec, Seed, 0, 50);
            var local = Enumerable.Range(0, 50).Select(i => LocalEngine.Run(model, RandomBatch.Strategy(model, Seed, i)).TraceHash).ToArray();
            if (!local.SequenceEqual(grains.TraceHashes)) mismatches.Add(drawn.ToString());
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of 40 drawn workloads differ; the first:\n{mismatches.FirstOrDefault()}");
    }

    [Fact]
    public async Task A_run_and_its_replay_on_grains_equal_the_local_run_in_trace_choices_and_verdict()
    {
        var spec = GrainScenarios.Spec("reviewer-race.json");
        var model = spec.Build();
        var lane = fixture.Client.GetGrain<IFabricGrain>(0, "run-and-replay");
        for (ulong seed = 1; seed <= 40; seed++)
        {
            var local = LocalEngine.Run(model, StrategySpec.Random(seed).Create(model.Workload.Delays), recordTrace: true, recordChoices: true);
            var grains = await lane.Run(spec, StrategySpec.Random(seed));
            Assert.Equal(local.TraceHash, grains.TraceHash);
            Assert.Equal(local.Choices, grains.Choices);
            Assert.Equal(local.Violations, grains.Violations);
            Assert.Equal(local.Trace!.Entries.Count, grains.Trace!.Entries.Count);
            Assert.Equal(local.Trace.Entries.Select(e => e.Message.ToString()), grains.Trace.Entries.Select(e => e.Message.ToString()));
            var replay = await lane.Run(spec, StrategySpec.FromChoices(grains.Choices!));
            Assert.Equal(local.TraceHash, replay.TraceHash);
        }
    }

    [Fact]
    public async Task The_same_seeds_on_lanes_of_different_silos_give_the_same_traces()
    {
        var spec = GrainScenarios.Spec("storm.json");
        var a = await fixture.Client.GetGrain<IFabricGrain>(0, "cross-silo").TraceHashes(spec, 3, 0, 100);
        var b = await fixture.Client.GetGrain<IFabricGrain>(1, "cross-silo").TraceHashes(spec, 3, 0, 100);
        Assert.NotEqual(a.Silo, b.Silo);
        Assert.Equal(a.TraceHashes, b.TraceHashes);
        Assert.Equal(100, a.TraceHashes.Distinct().Count());
    }
}
