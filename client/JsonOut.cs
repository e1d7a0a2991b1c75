using SmmuActors.Reports;
using System.Text.Json;
using System.Text.Json.Nodes;
using SmmuActors.Client.Commands;
using SmmuActors.Client.Engines;
using SmmuActors.Client.Rendering;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Client;

/// <summary>The machine-readable results the commands write with --json (whole file or nothing).</summary>
public static class JsonOut
{
    /// <summary>
    /// Counts keyed by name, in ordinal order of the names. A JSON object keeps the order its keys were added in, and counts
    /// merged from workers, batches and silos arrive in the order those finish, so two runs of the same search wrote the
    /// same counts in different orders.
    /// </summary>
    public static Dictionary<string, long> ByKey(IEnumerable<KeyValuePair<string, long>> counts) =>
        counts.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary();

    public static void Write(string? path, object value)
    {
        if (path is null) return;
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Counterexample.Json));
    }

    /// <summary>
    /// An exploration's summary with <c>verdict</c>, <c>ranOn</c> (the engine, where it ran, and the batches or search partitions each silo
    /// ran) and <c>process</c>: this process's peak resident memory and processor time from its start to the end of this
    /// exploration (with an embedded silo, the silo's share included; a cluster's silos are processes of their own).
    /// A search has no runs and no seed: its <c>runs</c> is <c>finalStates</c>, the final states it counted, and it has no <c>seed</c>.
    /// </summary>
    public static JsonObject Explored(ExploreSummary summary, Placement where, ProcessFootprint process)
    {
        var o = JsonSerializer.SerializeToNode(summary, Counterexample.Json)!.AsObject();
        if (summary.Strategy == Naming.Kebab(StrategyKind.Exhaustive))
        {
            var finals = o["runs"];
            o.Remove("runs");
            o.Remove("seed");
            o["finalStates"] = finals;
        }
        // The console's first line, so a script reads the verdict rather than rebuilding it from the flags below.
        o["verdict"] = VerdictWords.Of(summary);
        o["ranOn"] = JsonSerializer.SerializeToNode(new { where.Engine, where.Where, where.Silos, where.BatchesBySilo, where.PartitionsBySilo, where.Restarts, SearchedAgainOnOneWorker = where.Again }, Counterexample.Json);
        o["process"] = JsonSerializer.SerializeToNode(process, Counterexample.Json);
        return o;
    }

    /// <summary>A preset of an explore that a stop ended before it ran: its name, and the verdict the console gives it.</summary>
    public static JsonObject NotRun(string preset) => new()
    {
        ["variant"] = preset,
        ["verdict"] = $"INCOMPLETE: {VerdictWords.Cancelled} before it ran",
        ["incompleteReason"] = VerdictWords.Cancelled,
    };

    /// <summary>One run's result; <paramref name="model"/>'s variant with its switches, as explore's JSON gives them, so the file says how to run it again.</summary>
    public static Dictionary<string, object?> Run(ScenarioModel model, string strategy, ulong seed, RunResult r)
    {
        var o = new Dictionary<string, object?>
        {
            ["variant"] = model.Variant.Preset,
            ["switches"] = Variants.Describe(model.Variant).ToList(),
            ["workload"] = model.Workload.Name,
            ["strategy"] = strategy,
            ["seed"] = seed,
            // The console's first line, as explore's JSON gives it.
            ["verdict"] = VerdictWords.Of(r, strategy),
            ["violations"] = r.Violations.Select(v => new { kind = v.KindName, v.Step, v.Time, v.Detail }).ToList(),
            ["traceHash"] = r.TraceHash,
            ["steps"] = r.Steps,
            ["endTime"] = r.EndTime,
            ["outcome"] = r.Outcome,
            ["truncated"] = r.Truncated,
        };
        // A stop ended it before its end (its verdict says how far it got), as explore's JSON names a stopped search.
        if (r.Pruned) o["incompleteReason"] = VerdictWords.Cancelled;
        return o;
    }
}