using SmmuActors.Model.Sim;

namespace SmmuActors.Reports;

/// <summary>Which delivery sent each delivered message: the send edge of happens-before.</summary>
public static class SenderRows
{
    /// <summary>
    /// For each of the first <paramref name="count"/> rows, the row whose delivery sent its message (-1: sent at the start).
    /// A stop ends it within a few thousand rows: a run of millions takes seconds.
    /// </summary>
    public static int[] Of(IReadOnlyList<TraceEntry> entries, int count, CancellationToken cancel = default)
    {
        var rows = new int[count];
        var lastAt = new Dictionary<(int Actor, long Time), int>();
        for (int i = 0; i < count; i++)
        {
            if ((i & Check) == 0) cancel.ThrowIfCancellationRequested();
            var m = entries[i].Message;
            rows[i] = m.Kind == MessageKind.Start ? -1 : lastAt.GetValueOrDefault((m.Src, m.SendTime), -1);
            lastAt[(m.Dst, m.Time)] = i;
        }
        return rows;
    }

    /// <summary>Rows between two looks at the stop: cheap next to the work, a millisecond or so of it.</summary>
    public const int Check = 0xFFF;
}
