namespace SmmuActors.Tests.Support;

/// <summary>Locates the repository (and the shared folder beside it) from the test's output directory.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = Find();

    static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SmmuActors.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("SmmuActors.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Scenario(string name) => Path.Combine(RepoRoot, "scenarios", name);

    /// <summary>The C# sources under <paramref name="dir"/>, without what the build generates (obj/ and bin/).</summary>
    public static IEnumerable<string> Sources(string dir)
    {
        char sep = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}obj{sep}") && !f.Contains($"{sep}bin{sep}"));
    }

    /// <summary>The project's litmus corpus (tests/litmus): its .litmus files, sorted, and its expected-verdict file.</summary>
    public static string LitmusDir => Path.Combine(RepoRoot, "tests", "litmus");

    public static IReadOnlyList<string> LitmusCorpus() =>
        Directory.GetFiles(LitmusDir, "*.litmus").Order(StringComparer.Ordinal).ToList();

    public static string LitmusExpected => Path.Combine(LitmusDir, "expected.txt");

    /// <summary>The file names of the shipped workloads (the folder also holds their schema).</summary>
    public static IEnumerable<string> ShippedWorkloads() =>
        Directory.GetFiles(Path.Combine(RepoRoot, "scenarios"), "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal))
            .Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    /// <summary>The driver-computed vectors: ../shared/vectors when the clone has shared/ beside it, else the committed copy.</summary>
    public static string QueueVectors()
    {
        var shared = Path.Combine(RepoRoot, "..", "shared", "vectors", "queue-helpers.csv");
        return File.Exists(shared) ? shared : Path.Combine(RepoRoot, "tests", "Fast", "Smmu", "Vectors", "queue-helpers.csv");
    }
}
