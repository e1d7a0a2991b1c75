using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Litmus;

/// <summary>What a kinds file says of a test: its condition's proposition is reachable, unreachable, or always true.</summary>
public enum ExpectedKind { Allowed, Forbidden, Required }

public sealed record ExpectedVerdict(string Name, ExpectedKind Kind, string Citation, int Line);

/// <summary>A test whose explored verdict differs from the expected one, or that the expected file does not list.</summary>
public sealed record VerdictMismatch(string Name, string Expected, string Explored, string Reason)
{
    public override string ToString() => $"MISMATCH {Name}: expected {Expected}, explored {Explored} ({Reason})";
}

/// <summary>
/// A herd-style expected-verdict file: one <c>NAME Allowed|Forbidden|Required</c> a line, optionally
/// followed by <c># citation</c>; blank lines and lines starting with <c>#</c> are comments. The
/// comparison is the catalogue's: Allowed when some reachable state satisfies the condition's
/// proposition, Forbidden when none does, Required when all do, whatever the test's own quantifier.
/// </summary>
public sealed class ExpectedVerdicts
{
    readonly Dictionary<string, ExpectedVerdict> _byName;

    ExpectedVerdicts(Dictionary<string, ExpectedVerdict> byName) => _byName = byName;

    public IReadOnlyCollection<ExpectedVerdict> All => _byName.Values;

    public static ExpectedVerdicts Load(string path) => Parse(InputFile.Read(path, reason => new InputFileException($"--expect: {path}", reason)), path);

    public static ExpectedVerdicts Parse(string text, string file)
    {
        var byName = new Dictionary<string, ExpectedVerdict>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            int hash = line.IndexOf('#');
            string citation = hash >= 0 ? line[(hash + 1)..].Trim() : "";
            string body = (hash >= 0 ? line[..hash] : line).Trim();
            if (body.Length == 0) continue;
            var words = body.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 2 || !Enum.GetNames<ExpectedKind>().Contains(words[1]) || !Enum.TryParse<ExpectedKind>(words[1], out var kind))
                throw new LitmusException(file, i + 1, body, "not 'NAME Allowed|Forbidden|Required'");
            if (!byName.TryAdd(words[0], new ExpectedVerdict(words[0], kind, citation, i + 1)))
                throw new LitmusException(file, i + 1, words[0], $"listed twice (first at line {byName[words[0]].Line})");
        }
        return new ExpectedVerdicts(byName);
    }

    /// <summary>Null when the verdict agrees with the file; otherwise the mismatch, with a state that shows it.</summary>
    public VerdictMismatch? Compare(LitmusVerdict verdict)
    {
        string name = verdict.Test.Name;
        string explored = verdict.Witnessed ? (verdict.AlwaysHolds ? "Required" : "Allowed") : "Forbidden";
        if (!_byName.TryGetValue(name, out var expected))
            return new VerdictMismatch(name, "a line for it", explored, "the expected file does not list this test");
        return expected.Kind switch
        {
            ExpectedKind.Allowed when !verdict.Witnessed =>
                new(name, "Allowed", explored, "no reachable final state satisfies the condition"),
            ExpectedKind.Forbidden when verdict.Witnessed =>
                new(name, "Forbidden", explored, $"reachable final state {verdict.Example(satisfying: true)}"),
            ExpectedKind.Required when !verdict.AlwaysHolds =>
                new(name, "Required", explored, $"reachable final state {verdict.Example(satisfying: false)} does not satisfy the condition"),
            _ => null,
        };
    }
}
