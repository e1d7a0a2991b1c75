namespace SmmuActors.Model.Sim;

/// <summary>
/// The one table of names at the edges (command line, files, traces, display): an enum member is
/// spelled in kebab-case (<c>StaleTranslation</c> → <c>stale-translation</c>), and parsed back the same way.
/// Inside, every such value is its enum.
/// </summary>
public static class Naming
{
    public static string Kebab(Enum value)
    {
        var s = value.ToString();
        var sb = new System.Text.StringBuilder(s.Length + 4);
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsUpper(s[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(s[i]));
        }
        return sb.ToString();
    }

    /// <summary>Every member's name, in declaration order.</summary>
    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Enum.GetValues<T>().Select(v => Kebab(v)).ToArray();

    public static bool TryParse<T>(string name, out T value) where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
            if (Kebab(v) == name) { value = v; return true; }
        value = default;
        return false;
    }

    /// <summary>Parses a name or throws naming what was expected.</summary>
    public static T Parse<T>(string name, string what) where T : struct, Enum =>
        TryParse<T>(name, out var v) ? v : throw new ArgumentException($"unknown {what} '{name}'; expected {string.Join(", ", All<T>())}");
}
