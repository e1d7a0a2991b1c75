namespace SmmuActors.Model.Sim;

/// <summary>One delivery of a recorded trace, with what the receiver reported while handling it.</summary>
public sealed record TraceEntry(long Step, Message Message, ModelEvent[] Events);

/// <summary>The full record of a run, kept only when asked for (run, replay, counterexamples).</summary>
public sealed class TraceLog
{
    readonly List<TraceEntry> _entries = new();
    public IReadOnlyList<TraceEntry> Entries => _entries;

    public void Add(long step, in Message m, List<ModelEvent> events) =>
        _entries.Add(new TraceEntry(step, m, events.Count == 0 ? [] : events.ToArray()));
}
