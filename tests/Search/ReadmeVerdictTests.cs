using System.Globalization;
using System.Text.RegularExpressions;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// The README's verdict table cannot drift: every preset appears in exactly one row, and that row's
/// distinct states (a number, or a range "a to b"), space and violations are what the search derives.
/// </summary>
[Trait("Suite", "Search")]
public sealed partial class ReadmeVerdictTests
{
    [GeneratedRegex(@"^\| (?<variants>[^|]+) \| (?<states>[^|]+) \| (?<space>[^|]+) \| (?<kinds>[^|]+) \|$")]
    private static partial Regex Row();

    static IEnumerable<(string[] Presets, string States, string Space, string Kinds)> Table()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "README.md"));
        int header = Array.FindIndex(lines, l => l.StartsWith("| variant | distinct states | space | violations |"));
        Assert.True(header >= 0, "README.md has no verdict table");
        foreach (var line in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var m = Row().Match(line);
            Assert.True(m.Success, $"README row not in the table's shape: {line}");
            // A variant cell lists preset names, each maybe followed by a parenthetical remark.
            var presets = Regex.Replace(m.Groups["variants"].Value, @"\([^)]*\)", "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            yield return (presets, m.Groups["states"].Value.Trim(), m.Groups["space"].Value.Trim(), m.Groups["kinds"].Value.Trim());
        }
    }

    [Fact]
    public void EveryPresetHasOneRowAndEveryRowIsWhatTheSearchDerives()
    {
        var rows = Table().ToList();
        Assert.Equal(Variants.Presets.Select(p => p.Name).Order(), rows.SelectMany(r => r.Presets).Order());
        foreach (var (presets, states, space, kinds) in rows)
            foreach (var preset in presets)
            {
                var r = SearchCache.Of("reviewer-race", preset);
                Assert.Equal(space, r.Exhausted ? "exhausted" : "incomplete");
                var found = r.Result.ViolationsByKind.Keys.Select(k => Naming.Kebab(k)).Order().ToList();
                var listed = kinds.StartsWith("none") ? [] : kinds.Split(',', StringSplitOptions.TrimEntries).Order().ToList();
                Assert.True(found.SequenceEqual(listed), $"{preset}: README says {kinds}, the search finds {string.Join(", ", found)}");
                var bounds = states.Split(" to ").Select(s => long.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToArray();
                Assert.InRange(r.States, bounds[0], bounds[^1]);
            }
    }
}
