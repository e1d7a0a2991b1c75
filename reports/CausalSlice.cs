using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Reports;

/// <summary>
/// One line of a counterexample's story: the delivery it comes from, what happened in protocol words,
/// and for a delayed write the row where it finally lands (so a chart of the story can draw it).
/// </summary>
public sealed record StoryLine(int Row, long Step, long Time, string Text, int? Lands = null)
{
    /// <summary>The rows a chart of the story draws.</summary>
    public static IReadOnlySet<int> ChartRows(IEnumerable<StoryLine> story) =>
        story.SelectMany(l => l.Lands is { } lands ? [l.Row, lands] : new[] { l.Row }).ToHashSet();
}

/// <summary>
/// The part of a counterexample a violation depends on, told as a short story. The slice follows
/// happens-before back from the violating delivery: the delivery that sent each message, and the
/// previous delivery at the same actor (whose state it read; for memory, at the same location). Of the sliced deliveries the story
/// keeps what the protocol argument is about: delayed (posted) writes, STOP and SMMUEN changes,
/// reservations, elisions, unmap returns, TLB fills and invalidations, power and timeouts, and the violation.
/// </summary>
public static class CausalSlice
{
    /// <summary>
    /// Row flags: true for each delivery the explained violation, or an unmap return before it, happens-after (an
    /// end-of-run violation depends on the whole run). The explained violation is the first of <paramref name="kind"/>
    /// (a counterexample's kind: other violations may come first on its path), or the run's first. A stop throws
    /// <see cref="OperationCanceledException"/> within a few thousand rows.
    /// </summary>
    public static bool[] Rows(RunResult run, string? kind = null, CancellationToken cancel = default) =>
        Rows(run, kind, SenderRows.Of(run.Trace!.Entries, run.Trace.Entries.Count, cancel), cancel);

    static bool[] Rows(RunResult run, string? kind, int[] sender, CancellationToken cancel)
    {
        var entries = run.Trace!.Entries;
        var slice = new bool[entries.Count];
        if (entries.Count == 0) return slice;
        long step = Explained(run, kind) is { } v ? v.Step : entries[^1].Step;
        int last = entries.Count - 1;
        while (last > 0 && entries[last].Step > step) last--;
        // Memory's locations are independent of each other; a thread or the SMMU depends on all its own earlier deliveries.
        var previousAt = new int[entries.Count];
        var lastAt = new Dictionary<(int Actor, long Loc), int>();
        for (int i = 0; i < entries.Count; i++)
        {
            if ((i & SenderRows.Check) == 0) cancel.ThrowIfCancellationRequested();
            var m = entries[i].Message;
            var key = (m.Dst, m.Dst == Layout.MemoryActor ? m.Loc : -1);
            previousAt[i] = lastAt.GetValueOrDefault(key, -1);
            lastAt[key] = i;
        }
        slice[last] = true;
        // The oracle judges a stale translation against the unmaps that returned before it: those returns are its premise.
        for (int i = 0; i < last; i++)
            if (entries[i].Events.Any(e => e.Kind() == EventKind.UnmapReturned)) slice[i] = true;
        for (int i = last; i >= 0; i--)
        {
            if ((i & SenderRows.Check) == 0) cancel.ThrowIfCancellationRequested();
            if (!slice[i]) continue;
            if (sender[i] >= 0) slice[sender[i]] = true;
            if (previousAt[i] >= 0) slice[previousAt[i]] = true;
        }
        return slice;
    }

    /// <summary>The first violation of <paramref name="kind"/>, or of any kind when the run shows none of it (or none is named).</summary>
    public static Violation? Explained(RunResult run, string? kind) =>
        run.Violations.Where(v => v.KindName == kind).MinBy(v => v.Step) ?? run.Violations.MinBy(v => v.Step);

    /// <summary>The story of <see cref="Rows"/>'s slice for <paramref name="kind"/>: it ends at that violation. A stop throws as there.</summary>
    public static IReadOnlyList<StoryLine> Story(ScenarioModel model, RunResult run, string? kind = null, CancellationToken cancel = default) =>
        Tell(model, run, kind, cancel).Lines;

    /// <summary><see cref="Story"/>, with how many deliveries the slice holds.</summary>
    public static (IReadOnlyList<StoryLine> Lines, int Sliced) Tell(ScenarioModel model, RunResult run, string? kind, CancellationToken cancel)
    {
        var entries = run.Trace!.Entries;
        var sender = SenderRows.Of(entries, entries.Count, cancel);
        var slice = Rows(run, kind, sender, cancel);
        var sent = entries.Select((_, i) => i).ToLookup(i => sender[i]);
        var violationsAt = run.Violations.ToLookup(v => v.Step);
        var names = model.Names;
        var watch = new QueueWatch();
        var story = new List<StoryLine>();
        for (int i = 0; i < entries.Count; i++)
        {
            if ((i & SenderRows.Check) == 0) cancel.ThrowIfCancellationRequested();
            var e = entries[i];
            var m = e.Message;
            bool wasStop = watch.Stop, wasEn = watch.SmmuEn;
            watch.Apply(m, e.Events);
            if (!slice[i]) continue;
            void Tell(string text, int? lands = null) => story.Add(new StoryLine(i, e.Step, m.Time, text, lands));
            foreach (int j in sent[i])
                if (SequenceChart.IsDelayed(model, entries[j].Message))
                {
                    var d = entries[j].Message;
                    Tell($"{names.Actor(d.Src)} {MessageNames.Describe(model.Layout, names, d)} (posted, delayed +{d.Delay}: lands at t={d.Time})", j);
                }
            if (watch.Stop != wasStop) Tell(watch.Stop ? $"{names.Actor(m.Src)} sets STOP in llq.prod" : $"{names.Actor(m.Src)} clears STOP");
            foreach (var ev in e.Events)
                if (Told(ev.Kind())) Tell($"{names.Actor(m.Dst)}: {EventText.Describe(model, ev)}");
            if (watch.SmmuEn != wasEn) Tell($"{names.Actor(m.Src)} SMMUEN={(watch.SmmuEn ? 1 : 0)}");
            foreach (var v in violationsAt[e.Step]) Tell($"VIOLATION {v.KindName}: {v.Detail}");
        }
        long until = Explained(run, kind)?.Step ?? long.MaxValue;
        foreach (var v in run.Violations.Where(v => v.Step <= until && (v.Step > entries[^1].Step || !entries.Any(x => x.Step == v.Step))))
            story.Add(new StoryLine(entries.Count - 1, v.Step, v.Time, $"VIOLATION {v.KindName} (at the end): {v.Detail}"));
        return (story, slice.Count(x => x));
    }

    static bool Told(EventKind k) => k is EventKind.Committed or EventKind.Elided or EventKind.UnmapReturned or EventKind.TlbFill or EventKind.TlbInvalidate
        or EventKind.SyncTimeout or EventKind.DrainTimeout or EventKind.PowerOff or EventKind.FlagBitsInRegister or EventKind.OwnerProdBackwards;
}
