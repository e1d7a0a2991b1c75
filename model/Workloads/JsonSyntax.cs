using System.Text.Json;
using System.Text.RegularExpressions;

namespace SmmuActors.Model.Workloads;

/// <summary>
/// A JSON syntax error as one message with one position. System.Text.Json appends its own 0-based
/// "LineNumber: 2 | BytePositionInLine: 17" to the text, which contradicts a 1-based line; that
/// suffix is dropped and the position given once, 1-based, as editors count.
/// </summary>
public static partial class JsonSyntax
{
    public static WorkloadException Error(string file, JsonException e)
    {
        string reason = Plain(Position().Replace(e.Message, "").TrimEnd(), e.LineNumber is > 0 || e.BytePositionInLine is > 0);
        string where = e.LineNumber is { } line ? $"(json, line {line + 1}{(e.BytePositionInLine is { } col ? $", column {col + 1}" : "")})" : "(json)";
        string field = e.Path is { Length: > 2 } path && path.StartsWith("$.") ? $"{path[2..]} {where}" : where;
        return new WorkloadException(file, field, reason);
    }

    [GeneratedRegex(@"\s*(Path: \S* \|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.")]
    private static partial Regex Position();

    /// <summary>
    /// The reader's words for a user, who wants what is wrong: an empty file is called one, and one the reader read some
    /// way into (<paramref name="readSome"/>) without a token holds only white space or comments.
    /// </summary>
    static string Plain(string reason, bool readSome) =>
        reason.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal)
            ? readSome ? "the file holds no JSON, only white space or comments" : "the file is empty"
        : reason;
}
