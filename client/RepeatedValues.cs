namespace SmmuActors.Client;

/// <summary>
/// A list option that names one thing twice would run or measure it twice under one name, or fail when two figures meet
/// under that name (`bench --engines local local` was exit 4 after its measurements): refused before any work.
/// </summary>
public static class RepeatedValues
{
    /// <summary>Throws unless every value of <paramref name="values"/> is given once, as <paramref name="key"/> tells them apart.</summary>
    public static void Refuse<T>(string option, IEnumerable<T> values, Func<T, string> key)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in values)
            if (!seen.Add(key(v))) throw new InputException($"{option}: '{v}' is given twice");
    }

    /// <summary>The same for files: one file named twice, by two spellings of its path, is given twice.</summary>
    public static void RefuseFiles(string option, IEnumerable<string> paths) => Refuse(option, paths, FullPath);

    /// <summary>The path as one file has it; a path with no full form (empty, or with a NUL) as given, for its own check to refuse.</summary>
    static string FullPath(string path)
    {
        try { return Path.GetFullPath(path); }
        catch (ArgumentException) { return path; }
    }
}
