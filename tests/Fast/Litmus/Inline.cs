using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>Litmus tests written inline in a test: read as the file t.litmus, and explored to herd's verdict block.</summary>
static class Inline
{
    public const string FileName = "t.litmus";

    public static LitmusTest Parse(string text) => LitmusParser.Parse(text, FileName);

    /// <summary>One thread's column from <paramref name="code"/>, one instruction a line.</summary>
    public static string Rows(string code) => string.Join("\n", code.Split('\n').Select(l => $" {l} ;"));

    public static List<string> Block(LitmusTest test) => LitmusVerdict.Of(test, LitmusExplorer.Run(test, CancellationToken.None)).Block().ToList();
}
