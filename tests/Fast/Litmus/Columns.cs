using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>A litmus test written as its threads' columns of rows, explored to the end.</summary>
static class Columns
{
    /// <summary>
    /// Runs the test: x at X0 on every thread, y at X5, z at X6 (their first mention lays them out in that order, so the final
    /// memory is x, y, z); <paramref name="memory"/> adds init items such as <c>int z=1;</c>.
    /// </summary>
    public static LitmusRun Run(string memory, string condition, params string[][] threads)
    {
        int rows = threads.Max(t => t.Length);
        var lines = Enumerable.Range(0, rows).Select(k => " " + string.Join(" | ", threads.Select(t => k < t.Length ? t[k] : "")) + " ;");
        string init = string.Join(" ", threads.Select((_, i) => $"{i}:X0=x; {i}:X5=y; {i}:X6=z;"));
        string header = string.Join(" | ", threads.Select((_, i) => $"P{i}"));
        var test = LitmusParser.Parse($"AArch64 T\n{{ {init} {memory} }}\n {header} ;\n{string.Join("\n", lines)}\nexists ({condition})\n", "t.litmus");
        var run = LitmusExplorer.Run(test, CancellationToken.None);
        Assert.Null(run.IncompleteReason);
        return run;
    }
}
