using SmmuActors.Model.Litmus;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// Every test of tests/litmus explored and judged against tests/litmus/expected.txt, whose verdicts
/// are cited from herdtools7's catalogue or from aarch64.cat. One case a file, so a disagreement fails
/// under the test's own name with both verdicts and the state that shows it. How fast each verdict comes is
/// measured by `litmus --json` ("seconds" per test), never here: a timed test on a shared machine fails for
/// its neighbours' load.
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
    }
}
