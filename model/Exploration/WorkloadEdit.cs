using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// Edits a workload at the level of its JSON text, so a shrunk counterexample embeds a workload
/// the ordinary loader reads back and a reader can diff against the original.
/// </summary>
public static class WorkloadEdit
{
    // Relaxed escaping keeps the text as a person wrote it (' and + stay as they are); it is data, never HTML.
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The workload text without operation <paramref name="op"/> of thread <paramref name="thread"/>.</summary>
    public static string WithoutOp(string workloadText, int thread, int op)
    {
        var root = JsonNode.Parse(workloadText, documentOptions: Lenient)!.AsObject();
        var program = root["threads"]![thread]!["program"]!.AsArray();
        program.RemoveAt(op);
        return root.ToJsonString(Indented);
    }

    /// <summary>The workload text with <c>bounds.maxStates</c> set to <paramref name="maxStates"/> (explore's --max-states).</summary>
    public static string WithMaxStates(string workloadText, long maxStates) => WithBound(workloadText, "maxStates", maxStates);

    /// <summary>The workload text with <c>bounds.maxSteps</c> set to <paramref name="maxSteps"/> (explore's --max-steps).</summary>
    public static string WithMaxSteps(string workloadText, long maxSteps) => WithBound(workloadText, "maxSteps", maxSteps);

    static string WithBound(string workloadText, string bound, long value)
    {
        var root = JsonNode.Parse(workloadText, documentOptions: Lenient)!.AsObject();
        if (root["bounds"] is not JsonObject bounds) root["bounds"] = bounds = new JsonObject();
        bounds[bound] = value;
        return root.ToJsonString(Indented);
    }

    /// <summary>The workload text with a note in its description saying how it was shrunk.</summary>
    public static string WithNote(string workloadText, string note)
    {
        var root = JsonNode.Parse(workloadText, documentOptions: Lenient)!.AsObject();
        string description = root["description"]?.GetValue<string>() ?? "";
        root["description"] = description.Length == 0 ? note : $"{note} {description}";
        return root.ToJsonString(Indented);
    }
}
