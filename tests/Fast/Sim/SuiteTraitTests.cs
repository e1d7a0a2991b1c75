using System.Text.RegularExpressions;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Sim;

/// <summary>
/// Every test class carries its suite's trait, the folder it is in, so that `dotnet test SmmuActors.sln --filter
/// Suite=NAME` (README) runs the whole suite: five classes had none, and the filter left 455 of the fast suite's
/// 1,607 tests out.
/// </summary>
[Trait("Suite", "Fast")]
public sealed partial class SuiteTraitTests
{
    [GeneratedRegex(@"\[(Fact|Theory)\b")]
    private static partial Regex TestAttribute();

    /// <summary>A top-level class (unindented, as the files have them) and the attribute lines just above it.</summary>
    [GeneratedRegex(@"^((?:\[[^\n]*\]\r?\n)*)public (?:sealed |abstract |static )*(?:partial )?class (\w+)", RegexOptions.Multiline)]
    private static partial Regex ClassWithAttributes();

    [Theory]
    [InlineData("Fast")]
    [InlineData("Search")]
    [InlineData("Cli")]
    [InlineData("Cluster")]
    public void Each_test_class_names_its_suite(string suite)
    {
        string dir = Path.Combine(TestPaths.RepoRoot, "tests", suite);
        var missing = new List<string>();
        int classes = 0;
        foreach (var file in TestPaths.Sources(dir))
        {
            string text = File.ReadAllText(file);
            if (!TestAttribute().IsMatch(text)) continue;
            foreach (Match m in ClassWithAttributes().Matches(text))
            {
                // A class holds tests when a test attribute comes before the next class of the file.
                int next = m.Index + m.Length, end = ClassWithAttributes().Match(text, next) is { Success: true } n ? n.Index : text.Length;
                if (!TestAttribute().IsMatch(text[next..end])) continue;
                classes++;
                if (!m.Groups[1].Value.Contains($"[Trait(\"Suite\", \"{suite}\")]"))
                    missing.Add($"{Path.GetRelativePath(TestPaths.RepoRoot, file)}: {m.Groups[2].Value}");
            }
        }
        Assert.True(classes > 0, $"no test class found under {dir}");
        Assert.True(missing.Count == 0, $"test classes without [Trait(\"Suite\", \"{suite}\")]:\n{string.Join("\n", missing)}");
    }
}
