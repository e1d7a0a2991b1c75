using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;
using Xunit;

namespace SmmuActors.Tests.Search;

/// <summary>The counterexamples kept in tests/Search/counterexamples, replayed with their traces.</summary>
static class SavedCounterexamples
{
    public static (ScenarioModel Model, RunResult Run) Replay(string name)
    {
        string file = Path.Combine(TestPaths.RepoRoot, "tests", "Search", "counterexamples", name);
        var cx = Counterexample.Load(file);
        var model = new ScenarioModel(cx.BuildWorkload(file), cx.BuildVariant(file));
        // Timed for a random run's counterexample, untimed (and checked afresh at its end) for a search witness.
        var run = Counterexample.Replay(model, cx.Choices, cx.Untimed, cx.Kind, recordTrace: true);
        // The same path as recorded, as `smmu-actors replay` requires: a model change that moves it must re-record the file.
        Assert.True(cx.TraceHash == run.TraceHash,
            $"{name} replays another path than it records (traceHash {cx.TraceHash}, replayed {run.TraceHash}): record it again with the campaign docs/model.md names");
        return (model, run);
    }
}
