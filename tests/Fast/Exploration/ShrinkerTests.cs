using SmmuActors.Tests.Support;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Exploration;

/// <summary>Shrinking keeps the violation, makes the run no larger, and the saved file replays to the same hash.</summary>
[Trait("Suite", "Fast")]
public class ShrinkerTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-shrink-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ShrunkRaceKeepsItsKindAndReplaysFromTheSavedFileToTheSameHash()
    {
        var s = RaceWitness.Shrunk;
        Assert.True(s.Steps <= s.StepsBefore);
        Assert.True(s.Ops <= s.OpsBefore);
        Assert.True(s.Delays <= s.DelaysBefore);
        Assert.True(s.Replays <= Shrinker.DefaultBudget);

        var cx = RaceWitness.Saved();
        Assert.Equal("stale-translation", cx.Kind);
        Assert.Equal(s.StepsBefore, cx.StepsBeforeShrink);
        string file = Path.Combine(_dir, "race.json");
        cx.Save(file);
        var loaded = Counterexample.Load(file);
        var model = new ScenarioModel(loaded.BuildWorkload(file), loaded.BuildVariant(file));
        var replay = LocalEngine.Run(model, new ReplayStrategy(loaded.Choices, model.Workload.Delays));
        Assert.Equal(cx.TraceHash, replay.TraceHash);
        Assert.Contains(replay.Violations, v => v.Kind == RaceWitness.Kind);
        Assert.Equal(cx.Steps, replay.Steps);
        Assert.Equal(loaded.Ops, model.Workload.Threads.Sum(t => t.Program.Length));
    }

    [Fact]
    public void ShrinkingDropsAnOperationTheRaceDoesNotNeed()
    {
        // A trailing idle on cpu0, after its unmap returned, cannot matter to the race: shrinking drops it.
        string json = File.ReadAllText(TestPaths.Scenario("reviewer-race.json"))
            .Replace("\"program\": [ { \"op\": \"unmap\", \"iova\": \"A\" } ]", "\"program\": [ { \"op\": \"unmap\", \"iova\": \"A\" }, { \"op\": \"idle\", \"ticks\": 5 } ]");
        var model = Scenarios.Inline(json);
        Assert.Equal(5, model.Workload.Threads.Sum(t => t.Program.Length));
        var witness = RandomBatch.Run(model, 1, 0, 20000).Witnesses[RaceWitness.Kind];
        var s = Shrinker.Shrink(model, witness.Choices, RaceWitness.Kind);
        Assert.Equal(5, s.OpsBefore);
        Assert.True(s.Ops < 5);
        Assert.Single(s.Model.Workload.Threads[0].Program);
        Assert.Contains($"shrunk from 5 to {s.Ops} operations", s.Model.Workload.Description);
    }

    [Fact]
    public void RandomWitnessLosesItsIncidentalDelays()
    {
        // A random run draws every delay in [min, max]: almost all of them are incidental to the violation.
        var model = Scenarios.Shipped("reviewer-race.json");
        var (choices, kind) = FirstRandomViolation(model);
        var s = Shrinker.Shrink(model, choices, kind);
        Assert.True(s.Delays < s.DelaysBefore, $"delays {s.DelaysBefore} -> {s.Delays}");
        var replay = LocalEngine.Run(s.Model, new ReplayStrategy(s.Choices, s.Model.Workload.Delays));
        Assert.Contains(replay.Violations, v => v.Kind == kind);
        Assert.Equal(s.Steps, replay.Steps);
    }

    [Fact]
    public void ShrinkingARunThatDoesNotViolateIsRefused()
    {
        var model = Scenarios.Shipped("reviewer-race.json", "recheck-mb");
        var clean = Scenarios.Random(model, 1, trace: true);
        Assert.Empty(clean.Violations);
        Assert.Throws<InvalidOperationException>(() => Shrinker.Shrink(model, clean.Choices!, ViolationKind.StaleTranslation));
    }

    [Fact]
    public void BudgetBoundsTheReplays()
    {
        var s = Shrinker.Shrink(RaceWitness.Model, RaceWitness.Choices, RaceWitness.Kind, budget: 5);
        Assert.True(s.Replays <= 5);
        Assert.True(s.Steps <= s.StepsBefore);
    }

    /// <summary>
    /// A stop ends the replay under way at its next step, the shrink's first, of the witness itself, included: a witness of a
    /// long workload replays for seconds, which the stop waited for. Cut there, the shrink has no run to hand back and
    /// throws (the investigation then saves the witness as found). A shrink left alone is not marked cut short.
    /// </summary>
    [Fact]
    public void A_shrink_stopped_before_its_replay_of_the_witness_ends_throws_having_no_run_to_hand_back()
    {
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        Assert.Throws<OperationCanceledException>(() => Shrinker.Shrink(RaceWitness.Model, RaceWitness.Choices, RaceWitness.Kind, cancel: stop.Token));

        Assert.False(RaceWitness.Shrunk.CutShort);
        Assert.Null(RaceWitness.Saved().ShrinkCutShort);
    }

    /// <summary>
    /// The counterexample of a shrink is its own last run, not replayed once more: the same run as a replay of the saved
    /// choices gives, the run the shrink result carries.
    /// </summary>
    [Fact]
    public void The_shrunk_counterexample_is_the_shrinks_own_run_of_its_choices()
    {
        var s = RaceWitness.Shrunk;
        var cx = RaceWitness.Saved();
        Assert.Equal((s.Run.TraceHash, s.Run.Steps), (cx.TraceHash, cx.Steps));
        Assert.Equal(s.Run.Choices, cx.Choices);
        var replay = LocalEngine.Run(s.Model, new ReplayStrategy(cx.Choices, s.Model.Workload.Delays));
        Assert.Equal((cx.TraceHash, cx.Steps), (replay.TraceHash, replay.Steps));
    }

    static (IReadOnlyList<long> Choices, ViolationKind Kind) FirstRandomViolation(ScenarioModel model)
    {
        for (long i = 0; i < 200_000; i++)
        {
            var r = LocalEngine.Run(model, RandomBatch.Strategy(model, 1, i), recordChoices: true);
            if (r.Violations.Count > 0) return (r.Choices!, r.Violations[0].Kind);
        }
        throw new InvalidOperationException("no random run of the reviewer's race violated anything");
    }

    [Fact]
    public void AWitnessThatRunsOnPastMaxStepsAfterItsViolationStillShrinks()
    {
        // The same race with maxSteps just past the violation: the witness is cut at the bound, as a
        // no-gate witness whose SMMU chases a stale PROD forever is; the violation still counts.
        var model = RaceWitness.Model;
        var (choices, at) = FirstWitnessThatRunsOn(model, RaceWitness.Kind);
        string text = model.Workload.SourceText.Replace("\"maxSteps\": 5000", $"\"maxSteps\": {at + 1}");
        var cut = new ScenarioModel(WorkloadLoader.Parse(text, "cut.json"), model.Variant);
        Assert.True(LocalEngine.Run(cut, new ReplayStrategy(choices, cut.Workload.Delays)).Truncated);

        var shrunk = Shrinker.Shrink(cut, choices, RaceWitness.Kind);
        var replay = LocalEngine.Run(shrunk.Model, new ReplayStrategy(shrunk.Choices, shrunk.Model.Workload.Delays));
        Assert.Contains(replay.Violations, v => v.Kind == RaceWitness.Kind);
    }

    /// <summary>The first random run (seed 1) with a <paramref name="kind"/> violation more than one step before its end, and that step.</summary>
    static (IReadOnlyList<long> Choices, long At) FirstWitnessThatRunsOn(ScenarioModel model, ViolationKind kind)
    {
        for (long i = 0; i < 200_000; i++)
        {
            var r = LocalEngine.Run(model, RandomBatch.Strategy(model, 1, i), recordChoices: true);
            if (r.Violations.FirstOrDefault(v => v.Kind == kind) is { } v && v.Step + 1 < r.Steps) return (r.Choices!, v.Step);
        }
        throw new InvalidOperationException($"no random run of the reviewer's race ran on past a {kind}");
    }

    /// <summary>
    /// A shrink that kept fewer operations or delays for more steps said "396 steps (366 before shrinking)", which read as a
    /// shrink that grew the run (found by a user-level audit on pm-cycles, seed 7).
    /// </summary>
    [Theory]
    [InlineData(162L, 279L, " (279 before shrinking)")]
    [InlineData(396L, 366L, " (366 before shrinking, which took fewer operations or delays for more steps)")]
    [InlineData(107L, 107L, "")]
    [InlineData(107L, null, "")]
    public void The_step_count_says_what_shrinking_did_to_it(long steps, long? before, string note) =>
        Assert.Equal(note, Counterexample.StepsNote(steps, before));
}
