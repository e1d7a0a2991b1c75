using System.Diagnostics;
using SmmuActors.Model.Litmus;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// Every test of tests/litmus explored and judged against tests/litmus/expected.txt, whose verdicts
/// are cited from herdtools7's catalogue or from aarch64.cat. One case a file, so a disagreement fails
/// under the test's own name with both verdicts and the state that shows it. The benchmark (a
/// warm verdict under 0.1 s) is what `litmus --json` reports per test as "seconds"; here only a search
/// ten times slower fails, since the suites share a small, busy machine.
/// </summary>
[Trait("Suite", "Fast")]
public class CorpusTests
{
    static readonly ExpectedVerdicts Expected = ExpectedVerdicts.Load(TestPaths.LitmusExpected);

    public static TheoryData<string> Files() => [.. TestPaths.LitmusCorpus().Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Files))]
    public void TheExploredVerdictIsTheCitedOne(string file)
    {
        var test = LitmusParser.ParseFile(Path.Combine(TestPaths.LitmusDir, file));
        var run = LitmusExplorer.Run(test, CancellationToken.None);
        Assert.Null(run.IncompleteReason);
        var mismatch = Expected.Compare(LitmusVerdict.Of(test, run));
        Assert.True(mismatch is null, mismatch?.ToString());
        // The faster of two warm runs: a slow run on a shared machine says more about the neighbours than the search.
        var fastest = Enumerable.Range(0, 2).Min(_ =>
        {
            var clock = Stopwatch.StartNew();
            LitmusExplorer.Run(test, CancellationToken.None);
            return clock.Elapsed;
        });
        Assert.True(fastest.TotalSeconds < 1, $"{test.Name}: {fastest.TotalMilliseconds:F0} ms warm, ten times the 0.1 s benchmark");
    }
}
