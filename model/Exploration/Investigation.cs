using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// The investigation pipeline, as data: a campaign's or search's witness (its choices) is shrunk to a
/// minimal run of the same kind and captured as a replayable counterexample. Engines run it where the
/// model runs; the recorded (and, when asked, traced) replay of the counterexample is then an ordinary
/// single run, so the client only renders and writes what the engine hands back.
/// </summary>
public static class Investigation
{
    /// <summary>
    /// A random witness is shrunk; a search witness is already a shortest path (see StateGraph.Shorten)
    /// and its picks have no "smaller" value to shrink towards, so it is captured as found. Cancelled, the
    /// shrink ends within a step and the smallest run found so far is captured, marked as cut short; cancelled before
    /// the shrink had replayed the witness, the witness is captured as its run found it, with no replay at all (one
    /// replay, when its run is not known: a campaign record stored before witnesses carried it).
    /// </summary>
    public static Counterexample Investigate(ScenarioModel model, string workloadPath, StrategyKind strategy, ulong seed, Witness witness,
        CancellationToken cancel = default)
    {
        if (strategy == StrategyKind.Exhaustive)
            return Counterexample.Capture(model, workloadPath, strategy, seed, witness.RunIndex, witness.Choices, witness.Kind);
        try
        {
            if (!cancel.IsCancellationRequested)
                return Counterexample.CaptureShrunk(Shrinker.Shrink(model, witness.Choices, witness.Kind, cancel: cancel), workloadPath, strategy, seed, witness.RunIndex, witness.Kind);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { }
        return witness.Run is { } run
            ? Counterexample.AsFound(model, workloadPath, seed, witness, run)
            : Counterexample.Capture(model, workloadPath, strategy, seed, witness.RunIndex, witness.Choices, witness.Kind) with { ShrinkCutShort = true };
    }
}
