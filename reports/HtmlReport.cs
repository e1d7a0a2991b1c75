using System.Xml.Linq;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Reports;

/// <summary>
/// An exploration as one self-contained HTML page: the variant x verdict table, which protocol
/// branches the runs reached, and for each counterexample its story (the causal slice), the slice's
/// chart (the full chart one click away), its timeline and the command
/// that replays it. Written as XHTML (well-formed XML that browsers read as HTML) so it can be
/// checked with an XML parser. It fits a 1,400 px page: charts scale to the width, and the coverage
/// table's variant headers stand upright so every preset gets a narrow column.
/// </summary>
public static class HtmlReport
{
    static readonly XNamespace H = "http://www.w3.org/1999/xhtml";
    static readonly HashSet<string> VoidElements = ["meta", "br", "hr", "img", "link", "col"];

    /// <summary>The report's page in its directory.</summary>
    public const string FileName = "index.html";

    /// <summary>
    /// Writes DIR/index.html and returns its path. After a stop no story, chart or timeline is drawn (a run of millions of
    /// deliveries takes seconds to slice and draw); each counterexample says so.
    /// </summary>
    public static string Write(string dir, IReadOnlyList<ExploredVariant> explored, string commandLine, CancellationToken cancel = default)
    {
        string path = Path.Combine(dir, FileName);
        AtomicFile.WriteAllText(path, Render(explored, commandLine, cancel));
        return path;
    }

    public static string Render(IReadOnlyList<ExploredVariant> explored, string commandLine, CancellationToken cancel = default)
    {
        var first = explored[0].Summary;
        var body = new XElement(H + "body",
            El("h1", $"SmmuActors: {first.Workload}, {first.Strategy} exploration"),
            El("p", new XAttribute("class", "meta"), "command: ", El("code", commandLine)),
            El("p", new XAttribute("class", "meta"), $"{first.Strategy} strategy, {first.Engine} engine" + (first.Strategy == "random" ? $", seed {first.Seed}" : "") +
                $", {explored.Count} variant(s), generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"),
            El("h2", "Verdicts"),
            Verdicts(explored),
            El("h2", "Coverage: protocol branches the runs reached"),
            El("p", new XAttribute("class", "meta"), "A clean verdict only speaks for the branches marked reached; a branch marked never was not exercised by this workload under that variant."),
            Coverage(explored),
            El("h2", "Counterexamples"));
        var witnesses = explored.SelectMany(e => e.Findings).ToList();
        if (witnesses.Count == 0) body.Add(El("p", "No invariant was violated, so there is no counterexample."));
        foreach (var w in witnesses) body.Add(Counterexample(w, cancel));

        var html = new XElement(H + "html", new XAttribute("lang", "en"),
            El("head",
                new XElement(H + "meta", new XAttribute("charset", "utf-8")),
                El("title", $"SmmuActors report: {first.Workload}"),
                El("style", Style)),
            body);
        foreach (var e in html.Descendants().Where(e => e.Name.Namespace == H && !e.Nodes().Any() && !VoidElements.Contains(e.Name.LocalName)).ToList())
            e.Value = "";
        return "<!DOCTYPE html>\n" + html.ToString(SaveOptions.DisableFormatting);
    }

    static XElement Verdicts(IReadOnlyList<ExploredVariant> explored)
    {
        var kinds = explored.SelectMany(e => e.Summary.ViolationsByKind.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var head = El("tr", El("th", "variant"), El("th", "switches"), El("th", RunsHeading(explored[0].Summary.Strategy)), El("th", "states"), El("th", "space"), El("th", "verdict"));
        foreach (var k in kinds) head.Add(El("th", k));
        var table = El("table", new XAttribute("class", "verdicts"), El("thead", head));
        var rows = El("tbody");
        foreach (var e in explored)
        {
            var s = e.Summary;
            string verdict = VerdictWords.Of(s);
            string space = s.Strategy == "exhaustive" ? (s.Exhausted ? (s.FirstViolation ? "exhausted to first violations" : "exhausted") : "bound hit") : "sampled";
            var tr = El("tr", El("td", El("b", s.Variant)), El("td", string.Join(" ", s.Switches)), El("td", s.Runs.ToString("N0")), El("td", s.StatesExplored.ToString("N0")),
                El("td", space), El("td", new XAttribute("class", VerdictClass(verdict)), verdict));
            foreach (var k in kinds)
                tr.Add(s.ViolationsByKind.TryGetValue(k, out var n)
                    ? El("td", new XAttribute("class", "bad"), Anchor(s.Variant, k, n.ToString("N0")))
                    : El("td", new XAttribute("class", "none"), "-"));
            rows.Add(tr);
        }
        table.Add(rows);
        return table;
    }

    /// <summary>What a summary's run count counts: a search merges executions, so it counts the final states they end in.</summary>
    public static string RunsHeading(string strategy) => strategy == Naming.Kebab(StrategyKind.Exhaustive) ? "final states" : "runs";

    /// <summary>The console's colour as a style: green for a proof only, red for a violation, amber for anything weaker.</summary>
    static string VerdictClass(string verdict) => VerdictWords.Color(verdict) switch { "green" => "ok", "red" => "bad", _ => "weak" };

    static XElement Anchor(string variant, string kind, string text) => El("a", new XAttribute("href", $"#{Id(variant, kind)}"), text);

    static string Id(string variant, string kind) => $"cx-{variant}-{kind}";

    static XElement Coverage(IReadOnlyList<ExploredVariant> explored)
    {
        var head = El("tr", El("th", "branch"));
        foreach (var e in explored) head.Add(El("th", e.Summary.Variant));
        var rows = El("tbody");
        var branches = explored[0].Summary.BranchesReached.Concat(explored[0].Summary.BranchesMissed).ToList();
        foreach (var b in Enum.GetValues<Model.Smmu.ProtocolBranch>().Select(Explorer.BranchName).Where(branches.Contains))
        {
            var tr = El("tr", El("td", b));
            foreach (var e in explored)
                tr.Add(e.Summary.BranchesReached.Contains(b)
                    ? El("td", new XAttribute("class", "ok"), "reached")
                    : El("td", new XAttribute("class", "missed"), "never"));
            rows.Add(tr);
        }
        return El("table", new XAttribute("class", "coverage"), El("thead", head), rows);
    }

    static XElement Counterexample(Finding w, CancellationToken cancel)
    {
        var cx = w.Counterexample;
        IReadOnlyList<StoryLine>? story = null;
        try { story = w.Replay is null ? null : CausalSlice.Story(w.Model, w.Replay, cx.Kind, cancel); }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { }
        // A search's witness is its shortest path to the kind, saved as found (Investigation): it has no shrink figures, and
        // its run index is that path's depth, not a run's number.
        bool random = cx.Strategy == "random";
        var facts = El("ul", new XAttribute("class", "facts"),
            El("li", $"{cx.Steps} steps" + (cx.StepsBeforeShrink is { } s ? $" (before shrinking: {s})" : "")),
            random ? El("li", $"delays above the minimum: {cx.Delays?.ToString() ?? "?"}" + (cx.DelaysBeforeShrink is { } d ? $" (before shrinking: {d})" : "")) : null,
            random ? El("li", $"operations: {cx.Ops?.ToString() ?? "?"}" + (cx.OpsBeforeShrink is { } o ? $" (before shrinking: {o})" : "")) : null,
            El("li", $"trace hash {cx.TraceHash}" + (w.TraceId is null ? "" : $", OpenTelemetry trace id {w.TraceId}")),
            El("li", random ? $"found by run {cx.RunIndex} of seed {cx.Seed}" : "the exhaustive search's shortest path to this kind, saved as found (not shrunk)"),
            w.NotSaved is not null ? El("li", $"not saved: {w.NotSaved}")
            : w.ChartNotSaved is not null ? El("li", "saved to ", El("code", w.File), $"; chart not saved: {w.ChartNotSaved}")
            : w.Replay is null ? El("li", "saved to ", El("code", w.File), $" ({Finding.NotReplayed})")
            : El("li", "saved to ", El("code", w.File), ", chart ", El("code", w.ChartFile)));
        return El("section", new XAttribute("id", Id(cx.Variant, cx.Kind)), new XAttribute("class", "cx"),
            El("h3", El("span", new XAttribute("class", "bad"), cx.Kind), $" under {VariantLabel.Of(w.Model.Variant)} on {cx.Workload}"),
            El("p", new XAttribute("class", "detail"), cx.Detail),
            facts,
            w.NotSaved is null ? El("p", "replay: ", El("code", new XAttribute("class", "cmd"), w.ReplayCommand)) : null,
            story is not null ? Replayed(w, w.Replay!, story)
            : w.Replay is not null ? El("p", $"{Stopped}; replay FILE tells it") : null,
            El("details", El("summary", "workload as replayed"), El("pre", cx.WorkloadText)));
    }

    /// <summary>What a counterexample replayed before a stop shows in place of its story, charts and timeline.</summary>
    public const string Stopped = "story, charts and timeline not drawn: the stop came first";

    /// <summary>A replayed counterexample's story, its charts and its timeline.</summary>
    static XElement[] Replayed(Finding w, RunResult replay, IReadOnlyList<StoryLine> story) =>
    [
        Story(story),
        El("div", new XAttribute("class", "chart"), SequenceChart.Render(w.Model, replay, $"{w.Title}: causal slice", StoryLine.ChartRows(story))),
        El("details", El("summary", $"full chart ({replay.Steps} deliveries)"), El("div", new XAttribute("class", "chart"), SequenceChart.Render(w.Model, replay, w.Title))),
        El("details", El("summary", $"timeline ({replay.Steps} deliveries)"), Timeline(w.Model, replay)),
    ];

    static XElement Story(IReadOnlyList<StoryLine> story)
    {
        var list = El("ol", new XAttribute("class", "story"));
        foreach (var line in story) list.Add(El("li", El("span", new XAttribute("class", "t"), $"t={line.Time} "), line.Text));
        return El("div", El("p", El("b", "How it happens"), $" ({story.Count} steps of the causal slice)"), list);
    }

    static XElement Timeline(ScenarioModel model, RunResult run)
    {
        var rows = El("tbody");
        foreach (var row in Reports.Timeline.Rows(model, run))
        {
            var notes = El("td");
            foreach (var e in row.Events) notes.Add(El("div", e));
            foreach (var v in row.Violations) notes.Add(El("div", new XAttribute("class", "bad"), $"!! {v}"));
            var tr = El("tr", El("td", row.Step.ToString()), El("td", row.Time.ToString()), El("td", row.From), El("td", row.To), El("td", row.Message), El("td", row.Sent), notes);
            if (row.Violations.Count > 0) tr.Add(new XAttribute("class", "violation"));
            rows.Add(tr);
        }
        return El("table", new XAttribute("class", "timeline"),
            El("thead", El("tr", El("th", "step"), El("th", "t"), El("th", "from"), El("th", "to"), El("th", "message"), El("th", "sent"), El("th", "what happened"))),
            rows);
    }

    static XElement El(string name, params object?[] content) => new(H + name, content);

    const string Style = """
        body { font-family: system-ui, 'DejaVu Sans', sans-serif; margin: 24px; color: #1a1a1a; max-width: 1400px; }
        h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #ccc; } h3 { font-size: 16px; }
        .meta { color: #555; font-size: 13px; }
        table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
        th, td { border: 1px solid #d0d0d0; padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: #eef2f7; }
        .ok { color: #1b7a1b; font-weight: bold; } .bad { color: #c00000; font-weight: bold; }
        .weak { color: #b35900; font-weight: bold; } .none { color: #999; } .missed { color: #b35900; }
        table.coverage { font-size: 12px; }
        table.coverage td { white-space: nowrap; padding: 2px 4px; }
        table.coverage thead th + th { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; padding: 4px 2px; }
        .meta code { overflow-wrap: anywhere; }
        .chart svg { max-width: 100%; height: auto; }
        .cx { border-top: 2px solid #c00000; margin-top: 24px; padding-top: 4px; }
        .detail { font-size: 15px; }
        .facts { font-size: 13px; color: #333; }
        code.cmd { background: #f4f4f4; padding: 2px 6px; border: 1px solid #ddd; }
        .chart { overflow-x: auto; border: 1px solid #ddd; margin: 10px 0; }
        table.timeline td { font-family: 'DejaVu Sans Mono', monospace; font-size: 12px; }
        tr.violation { background: #fde2e2; }
        ol.story { font-family: 'DejaVu Sans Mono', monospace; font-size: 13px; } ol.story .t { color: #777; }
        pre { background: #f7f7f7; padding: 8px; font-size: 12px; }
        """;
}
