using System.Globalization;
using System.Xml.Linq;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Reports;

/// <summary>
/// A run as an SVG message-sequence chart: a lane per actor (threads, memory, SMMU), an arrow per
/// message from the step that sent it to the step that delivered it, so a message overtaken by
/// later ones crosses them. Rows follow delivery order, not virtual time, with the time written
/// beside each row and long idle stretches shown as a break, so a 1 s timeout does not flatten the
/// rest. The SMMU lane is solid while SMMUEN=1, the memory lane red while STOP is set; barriers are
/// dashed; the violation's row is marked.
/// </summary>
public static class SequenceChart
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    const int Top = 96, LeftMargin = 118, LaneWidth = 200, NotesWidth = 470, LineHeight = 15, RowPad = 7, GapRow = 22;
    const int MaxRows = 400;

    /// <summary>Characters of 11px monospace that fit the notes column.</summary>
    const int NoteChars = 64;

    public const double NoteFont = 11;

    /// <summary>Virtual-time gaps at least this long between two rows get a visible break.</summary>
    const long GapTicks = 10;

    /// <summary>
    /// Draws every delivery (up to <see cref="MaxRows"/>), or, with <paramref name="only"/>, just those
    /// rows (the compact chart of a causal slice): a message from an undrawn row starts at the last
    /// drawn row before it, and each stretch of undrawn rows is a break saying how many it hides.
    /// </summary>
    public static XElement Render(ScenarioModel model, RunResult result, string title, IReadOnlySet<int>? only = null)
    {
        var entries = result.Trace!.Entries;
        var names = model.Names;
        int[] lanes = [.. Enumerable.Range(Layout.FirstThread, names.Threads.Count), Layout.MemoryActor, Layout.SmmuActor];
        var laneOf = new Dictionary<int, int>();
        for (int i = 0; i < lanes.Length; i++) laneOf[lanes[i]] = i;
        double LaneX(int actor) => LeftMargin + LaneWidth / 2.0 + laneOf[actor] * LaneWidth;
        int width = LeftMargin + lanes.Length * LaneWidth + NotesWidth;
        var violationsAt = result.Violations.ToLookup(v => v.Step);
        int[] drawn = [.. Enumerable.Range(0, entries.Count).Where(i => only?.Contains(i) ?? true).Take(MaxRows)];
        int shown = drawn.Length;

        // Row positions: each row as tall as its notes, plus a break row before a long idle stretch.
        var rowY = new double[shown];
        var notes = new List<Note>[shown];
        var watch = new QueueWatch();
        var stateBefore = new (bool Stop, bool SmmuEn)[shown + 1];
        stateBefore[0] = (watch.Stop, watch.SmmuEn);
        var gaps = new List<(double Y, string Label)>();
        double y = Top + 18;
        int applied = 0;
        for (int i = 0; i < shown; i++)
        {
            var e = entries[drawn[i]];
            for (; applied < drawn[i]; applied++) watch.Apply(entries[applied].Message, entries[applied].Events);
            int hidden = i > 0 ? drawn[i] - drawn[i - 1] - 1 : drawn[i];
            long idle = i > 0 ? e.Message.Time - entries[drawn[i - 1]].Message.Time : 0;
            if (hidden > 0 || idle >= GapTicks)
            {
                string omitted = hidden > 0 ? $"{hidden} deliveries not in the slice" : "";
                string passed = idle >= GapTicks ? $"{Ticks(idle)} pass" : "";
                gaps.Add((y - 2, $"⋯ {string.Join(", ", new[] { omitted, passed }.Where(x => x.Length > 0))}"));
                y += GapRow;
            }
            bool wasStop = watch.Stop, wasEn = watch.SmmuEn;
            watch.Apply(e.Message, e.Events);
            applied++;
            notes[i] = Notes(model, e, violationsAt[e.Step], wasStop, wasEn, watch);
            stateBefore[i + 1] = (watch.Stop, watch.SmmuEn);
            rowY[i] = y + LineHeight / 2.0;
            y += Math.Max(1, notes[i].Count) * LineHeight + RowPad;
        }
        double bottom = y + 10;
        bool cut = only is null && entries.Count > shown;
        int height = (int)bottom + (cut ? 30 : 10);

        var svg = new XElement(Svg + "svg",
            new XAttribute("width", width), new XAttribute("height", height),
            new XAttribute("viewBox", $"0 0 {width} {height}"),
            new XAttribute("font-family", "DejaVu Sans Mono, Menlo, Consolas, monospace"), new XAttribute("font-size", 11));
        svg.Add(new XElement(Svg + "title", title));
        svg.Add(Rect(0, 0, width, height, "#ffffff"));
        svg.Add(Text(12, 22, title, 15, "#111", weight: "bold"));
        svg.Add(Legend(40));

        // Violation rows first, so everything else draws over the highlight.
        for (int i = 0; i < shown; i++)
            if (violationsAt[entries[drawn[i]].Step].Any())
                svg.Add(Rect(4, rowY[i] - LineHeight / 2.0 - 3, width - 8, Math.Max(1, notes[i].Count) * LineHeight + 6, "#fde2e2"));

        // Lane headers and lifelines; the SMMU lane shows SMMUEN, the memory lane shows STOP.
        for (int l = 0; l < lanes.Length; l++)
        {
            double x = LeftMargin + LaneWidth / 2.0 + l * LaneWidth;
            svg.Add(Rect(x - 70, Top - 24, 140, 22, "#eef2f7", "#8a99ad"));
            svg.Add(Text(x, Top - 9, names.Actor(lanes[l]), 12, "#111", "middle", "bold"));
        }
        svg.Add(Lifelines(lanes, LaneX, rowY, stateBefore, shown, bottom));

        foreach (var (gy, label) in gaps)
        {
            svg.Add(new XElement(Svg + "line", new XAttribute("x1", LeftMargin - 4), new XAttribute("y1", F(gy + GapRow / 2.0)),
                new XAttribute("x2", width - NotesWidth), new XAttribute("y2", F(gy + GapRow / 2.0)),
                new XAttribute("stroke", "#b0b0b0"), new XAttribute("stroke-dasharray", "2 4")));
            svg.Add(Text(8, gy + GapRow / 2.0 + 4, label, 10, "#777"));
        }

        var senderRow = SenderRows.Of(entries, entries.Count);
        // The drawn row a message's arrow starts from: its sender's, or the last drawn one before an undrawn sender.
        var drawnAt = new int[entries.Count];
        for (int i = 0, k = -1; i < entries.Count; i++)
        {
            if (k + 1 < shown && drawn[k + 1] == i) k++;
            drawnAt[i] = k;
        }
        // Delayed messages are drawn last: the arrow that is overtaken is the one the reader must not lose.
        var overtaken = new List<XElement>();
        for (int i = 0; i < shown; i++)
        {
            var e = entries[drawn[i]];
            var m = e.Message;
            svg.Add(Text(8, rowY[i] + 4, $"{e.Step,4}", 10, "#888"));
            svg.Add(Text(LeftMargin - 10, rowY[i] + 4, $"t={m.Time}", 10, "#555", "end"));
            int from = senderRow[drawn[i]] < 0 ? -1 : drawnAt[senderRow[drawn[i]]];
            var arrow = Arrow(model, m, LaneX, from < 0 ? Top : rowY[from] + 4, rowY[i]);
            if (IsDelayed(model, m)) overtaken.Add(arrow);
            else svg.Add(arrow);
            // A faint guide from the last lane to the row's notes, so a note is read against its row.
            if (notes[i].Count > 0) svg.Add(Line(width - NotesWidth - LaneWidth / 2.0 + 14, rowY[i], width - NotesWidth + 8, rowY[i], "#d9d9d9", 0.8, "1 3"));
            // Notes run down from the row's line, inside the height the row reserved for them, so they never reach the next row's.
            double ny = rowY[i] + 4;
            foreach (var n in notes[i])
            {
                svg.Add(Text(width - NotesWidth + 12, ny, n.Text, NoteFont, n.Color, weight: n.Bold ? "bold" : null).SetClass("note"));
                ny += LineHeight;
            }
            foreach (var v in violationsAt[e.Step])
                svg.Add(new XElement(Svg + "circle", new XAttribute("cx", F(LaneX(m.Dst))), new XAttribute("cy", F(rowY[i])), new XAttribute("r", 9),
                    new XAttribute("fill", "none"), new XAttribute("stroke", "#c00000"), new XAttribute("stroke-width", 2.5),
                    new XElement(Svg + "title", $"{v.KindName}: {v.Detail}")));
        }
        svg.Add(overtaken);
        if (cut)
            svg.Add(Text(12, bottom + 16, $"… {entries.Count - shown} more steps not drawn (see the timeline)", 11, "#777"));
        return svg;
    }

    sealed record Note(string Text, string Color, bool Bold);

    static List<Note> Notes(ScenarioModel model, TraceEntry e, IEnumerable<Violation> violations, bool wasStop, bool wasEn, QueueWatch now)
    {
        var notes = new List<Note>();
        if (now.Stop != wasStop) notes.Add(new Note(now.Stop ? "STOP set in llq.prod" : "STOP cleared", "#b00060", true));
        if (now.SmmuEn != wasEn) notes.Add(new Note(now.SmmuEn ? "SMMUEN=1 (SMMU translating again)" : "SMMUEN=0 (SMMU disabled)", "#006400", true));
        foreach (var ev in e.Events)
            if (ev.Kind() is not (EventKind.Branch or EventKind.SmmuEnable))
                foreach (var line in Wrap(EventText.Describe(model, ev), NoteChars))
                    notes.Add(new Note(line, IsAlarming(ev.Kind()) ? "#b35900" : "#1f4e79", IsAlarming(ev.Kind())));
        foreach (var v in violations)
            foreach (var line in Wrap($"!! {v.KindName}: {v.Detail}", NoteChars))
                notes.Add(new Note(line, "#c00000", true));
        return notes;
    }

    /// <summary>Breaks a note at spaces so it fits the notes column; continuation lines are indented.</summary>
    static IEnumerable<string> Wrap(string text, int max)
    {
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > max)
            {
                yield return line.ToString();
                line.Clear().Append("   ");
            }
            if (line.Length > 0 && line.ToString() != "   ") line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }

    static bool IsAlarming(EventKind k) => k is EventKind.Elided or EventKind.UnmapReturned or EventKind.TlbFill or EventKind.SyncTimeout or EventKind.DrainTimeout;

    static XElement Arrow(ScenarioModel model, in Message m, Func<int, double> laneX, double fromY, double toY)
    {
        string label = MessageNames.Describe(model.Layout, model.Names, m);
        double x2 = laneX(m.Dst);
        var g = new XElement(Svg + "g", new XElement(Svg + "title", $"{model.Names.Actor(m.Src)} -> {model.Names.Actor(m.Dst)} {label}: sent t={m.SendTime}, delivered t={m.Time} (+{m.Time - m.SendTime})"));
        if (m.Src == m.Dst)
        {
            g.Add(new XElement(Svg + "circle", new XAttribute("cx", F(x2)), new XAttribute("cy", F(toY)), new XAttribute("r", 3), new XAttribute("fill", "#999")));
            g.Add(Text(x2 + 8, toY + 4, m.Kind == MessageKind.Start ? "start" : $"{label} (+{m.Delay})", 10, "#777"));
            return g;
        }
        double x1 = laneX(m.Src);
        bool delayed = IsDelayed(model, m);
        bool barrier = m.Kind is MessageKind.Barrier or MessageKind.BarrierReply;
        string color = delayed ? "#e07000" : barrier ? "#7030a0" : m.Kind is MessageKind.LoadReply or MessageKind.RmwReply or MessageKind.WaitReply ? "#5a7fa8" : "#23456b";
        string marker = delayed ? "url(#head-delayed)" : barrier ? "url(#head-barrier)" : "url(#head)";
        var line = new XElement(Svg + "line", new XAttribute("x1", F(x1)), new XAttribute("y1", F(fromY)), new XAttribute("x2", F(x2 + (x2 > x1 ? -4 : 4))), new XAttribute("y2", F(toY)),
            new XAttribute("stroke", color), new XAttribute("stroke-width", delayed ? 2.2 : 1.2), new XAttribute("marker-end", marker));
        if (barrier) line.Add(new XAttribute("stroke-dasharray", "5 3"));
        g.Add(line);
        if ((m.Order & Ordering.AfterStores) != 0 && !barrier)
            g.Add(new XElement(Svg + "line", new XAttribute("x1", F(x1 - 7)), new XAttribute("y1", F(fromY)), new XAttribute("x2", F(x1 + 7)), new XAttribute("y2", F(fromY)),
                new XAttribute("stroke", "#7030a0"), new XAttribute("stroke-width", 3)));
        string text = delayed ? $"{label} (delayed +{m.Delay}, sent t={m.SendTime})" : label;
        bool right = x2 > x1;
        // A white plate under the label keeps it readable where it sits on other arrows (monospace: 0.6 em a character).
        double tx = x2 + (right ? -10 : 10), w = text.Length * 10.5 * 0.6 + 4;
        var plate = Rect(right ? tx - w + 2 : tx - 2, toY - 12, w, 12, "#ffffff");
        plate.Add(new XAttribute("fill-opacity", 0.85));
        g.Add(plate);
        g.Add(Text(tx, toY - 3, text, 10.5, delayed ? "#b35900" : "#222", right ? "end" : "start", delayed ? "bold" : null));
        return g;
    }

    /// <summary>A delay beyond the workload's normal range: the injected reordering.</summary>
    internal static bool IsDelayed(ScenarioModel model, in Message m) =>
        m.Src != m.Dst && m.Delay > model.Workload.Delays.Max && m.Kind is not (MessageKind.Timer or MessageKind.Start);

    static XElement Lifelines(int[] lanes, Func<int, double> laneX, double[] rowY, (bool Stop, bool SmmuEn)[] stateBefore, int shown, double bottom)
    {
        var g = new XElement(Svg + "g");
        foreach (var actor in lanes)
        {
            double x = laneX(actor);
            g.Add(new XElement(Svg + "line", new XAttribute("x1", F(x)), new XAttribute("y1", Top), new XAttribute("x2", F(x)), new XAttribute("y2", F(bottom)),
                new XAttribute("stroke", "#c8d0da"), new XAttribute("stroke-width", 1)));
        }
        // State bands: segment i runs from row i-1 to row i with the state after row i-1.
        double prevY = Top;
        for (int i = 0; i <= shown; i++)
        {
            double y = i < shown ? rowY[i] : bottom;
            var (stop, en) = stateBefore[i];
            if (en) g.Add(Rect(laneX(Layout.SmmuActor) - 3, prevY, 6, y - prevY, "#4caf50"));
            if (stop) g.Add(Rect(laneX(Layout.MemoryActor) - 4, prevY, 8, y - prevY, "#e0457b"));
            prevY = y;
        }
        return g;
    }

    static XElement Legend(double y)
    {
        var defs = new XElement(Svg + "defs",
            Head("head", "#23456b"), Head("head-delayed", "#e07000"), Head("head-barrier", "#7030a0"));
        var g = new XElement(Svg + "g", defs);
        double x = 12;
        void Item(XElement swatch, string text)
        {
            g.Add(swatch);
            g.Add(Text(x + 26, y + 4, text, 10.5, "#333"));
            x += 26 + text.Length * 6.6 + 18;
        }
        Item(Line(x, y, x + 20, y, "#23456b", 1.2), "message (send row -> delivery row)");
        Item(Line(x, y, x + 20, y, "#e07000", 2.2), "injected delay (overtaken)");
        Item(Line(x, y, x + 20, y, "#7030a0", 1.2, "5 3"), "barrier");
        Item(Line(x + 3, y, x + 17, y, "#7030a0", 3), "waits for earlier stores");
        Item(Rect(x + 7, y - 6, 6, 12, "#4caf50"), "SMMUEN=1");
        Item(Rect(x + 6, y - 6, 8, 12, "#e0457b"), "STOP set");
        Item(Rect(x, y - 6, 20, 12, "#fde2e2"), "violation");
        var note = Text(12, y + 22, "rows in delivery order; t = virtual time in ticks (1 tick = 1 ns); dotted lines mark idle stretches", 10, "#666");
        return new XElement(Svg + "g", g, note);
    }

    static XElement Head(string id, string color) =>
        new(Svg + "marker", new XAttribute("id", id), new XAttribute("viewBox", "0 0 10 10"), new XAttribute("refX", 9), new XAttribute("refY", 5),
            new XAttribute("markerWidth", 7), new XAttribute("markerHeight", 7), new XAttribute("orient", "auto-start-reverse"),
            new XElement(Svg + "path", new XAttribute("d", "M 0 0 L 10 5 L 0 10 z"), new XAttribute("fill", color)));

    static XElement Line(double x1, double y1, double x2, double y2, string color, double width, string? dash = null)
    {
        var l = new XElement(Svg + "line", new XAttribute("x1", F(x1)), new XAttribute("y1", F(y1)), new XAttribute("x2", F(x2)), new XAttribute("y2", F(y2)),
            new XAttribute("stroke", color), new XAttribute("stroke-width", width));
        if (dash is not null) l.Add(new XAttribute("stroke-dasharray", dash));
        return l;
    }

    static XElement Rect(double x, double y, double w, double h, string fill, string? stroke = null)
    {
        var r = new XElement(Svg + "rect", new XAttribute("x", F(x)), new XAttribute("y", F(y)), new XAttribute("width", F(w)), new XAttribute("height", F(h)), new XAttribute("fill", fill));
        if (stroke is not null) r.Add(new XAttribute("stroke", stroke));
        return r;
    }

    static XElement Text(double x, double y, string text, double size, string color, string anchor = "start", string? weight = null)
    {
        var t = new XElement(Svg + "text", new XAttribute("x", F(x)), new XAttribute("y", F(y)), new XAttribute("font-size", F(size)), new XAttribute("fill", color), text);
        if (anchor != "start") t.Add(new XAttribute("text-anchor", anchor));
        if (weight is not null) t.Add(new XAttribute("font-weight", weight));
        return t;
    }

    /// <summary>An idle stretch in the unit a reader thinks in (1 tick = 1 ns).</summary>
    static string Ticks(long t) => t < 10_000 ? $"{t} ticks" : t < 100_000_000 ? $"{t / 1e6:0.###} ms" : $"{t / 1e9:0.###} s";

    static XElement SetClass(this XElement e, string cls)
    {
        e.SetAttributeValue("class", cls);
        return e;
    }

    static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
