using System.Text;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Smmu;
using SmmuActors.Reports;

namespace SmmuActors.Client;

/// <summary>
/// Checks an output path before any work starts, so a long run never ends in a crash on a path
/// that could not have worked. Creates nothing: a probe file is made and removed in the nearest
/// existing directory only to learn whether it is writable.
/// </summary>
public static class OutputPaths
{
    /// <summary>A file to be (over)written, e.g. --json; throws <see cref="InputException"/> with the reason.</summary>
    public static void CheckFile(string? path, string option)
    {
        if (path is null) return;
        string full = Full(path, option);
        CheckLength(full, option, path, 0);
        if (Directory.Exists(full)) throw new InputException($"{option}: {path} is a directory; give a file name");
        // A name that can only be a directory's, even one that does not exist yet: 'out/' failed only at the end of the
        // work (leaving the directory 'out' made for it), and 'out/.' wrote a file named 'out'.
        if (path.EndsWith(Path.DirectorySeparatorChar) || Path.GetFileName(path) is "." or "..")
            throw new InputException($"{option}: {path} names a directory; give a file name");
        string? target;
        try { target = AtomicFile.Target(full); }
        catch (IOException e) { throw Unwritable(option, path, e); }
        if (target is null)
        {
            // Written through (a device, a pipe, /dev/stdout): opened now to learn whether it can be, but a pipe, whose
            // opening would wait here for a reader.
            if (PathKinds.Of(full) != PathKind.Pipe) CheckOpens(full, option, path);
            return;
        }
        CheckLength(target, option, path, 0);
        if (File.Exists(target)) CheckOpens(target, option, path);
        CheckWritableParent(Path.GetDirectoryName(target)!, option, path);
    }

    static void CheckOpens(string file, string option, string path)
    {
        try { using var _ = new FileStream(file, FileMode.Open, FileAccess.Write); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Unwritable(option, path, e); }
    }

    /// <summary>Linux's limit on a path, in bytes, without its terminating zero (PATH_MAX is 4,096 with it).</summary>
    const int PathMax = 4095;

    /// <summary>
    /// Every name in <paramref name="full"/> within Linux's 255 bytes, and the path, with <paramref name="room"/> bytes more for
    /// the names written in it, within 4,095: past either, the write at the end of the work would fail.
    /// </summary>
    static void CheckLength(string full, string option, string path, int room)
    {
        foreach (var name in full.Split(Path.DirectorySeparatorChar))
            if (Encoding.UTF8.GetByteCount(name) is var n && n > AtomicFile.NameMax)
                throw new InputException($"{option}: {path}: the name '{name[..24]}...' is {n:N0} bytes; a file or directory name may have at most {AtomicFile.NameMax}");
        int bytes = Encoding.UTF8.GetByteCount(full);
        if (bytes + room > PathMax)
            throw new InputException(room == 0
                ? $"{option}: {path} is {bytes:N0} bytes long; a path may have at most {PathMax:N0}"
                : $"{option}: {path} is {bytes:N0} bytes long; with the names of the files written in it ({room - 1} bytes), a path may have at most {PathMax:N0}");
    }

    /// <summary>
    /// The output file <paramref name="path"/> is none of the command's other arguments (its workload, a counterexample
    /// it replays, a litmus test): writing the result there would destroy the input.
    /// </summary>
    public static void CheckNotAnInput(string? path, string option, IEnumerable<string> arguments)
    {
        if (path is null) return;
        string full = Full(path, option);
        if (!File.Exists(full)) return;
        int named = arguments.Count(a => Same(a, full));
        if (named > 1) throw new InputException($"{option}: {path} is also an input of this command; writing there would overwrite it");
    }

    static bool Same(string argument, string full)
    {
        try { return Real(Path.GetFullPath(argument)) == Real(full); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return false; }
    }

    /// <summary>
    /// <paramref name="full"/> with every symbolic link in it followed, as a write there would follow them: two names that
    /// differ only by a link (the file's own, or a folder's) are one file. Parts that do not exist yet stay as given.
    /// </summary>
    static string Real(string full, int links = 0)
    {
        string root = Path.GetPathRoot(full)!;
        string current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            string? target = new FileInfo(next).LinkTarget;
            if (target is null || links >= AtomicFile.MaxLinks) { current = next; continue; }
            current = Real(Path.GetFullPath(target, current), links + 1);
        }
        return current;
    }

    /// <summary>
    /// The --json file is not where the command writes its other outputs: not the --out or --report directory itself
    /// (found a directory at the end, the JSON was lost after the whole search), not a counterexample's name in --out
    /// ("PRESET[+SWITCHES]-WORKLOAD-KIND.json") or its chart's (the same name, ".svg"), and not the report's index.html, each of
    /// which would be written over the JSON or the JSON over it. Links are followed, as the writes will follow them.
    /// </summary>
    public static void CheckApart(string? json, string? outDir, string? report)
    {
        if (json is null) return;
        string full = Real(Full(json, "--json"));
        foreach (var (dir, option) in new[] { (outDir, "--out"), (report, "--report") })
            if (dir is not null && Real(Full(dir, option)) == full)
                throw new InputException($"--json: {json} is also the {option} directory; give the JSON file another path");
        string name = Path.GetFileName(full);
        if (outDir is not null && In(full, outDir, "--out") && IsCounterexampleOrChart(name))
            throw new InputException($"--json: {json} is where a counterexample or its chart may be saved in --out {outDir}; give the JSON file another name");
        if (report is not null && In(full, report, "--report") && name == HtmlReport.FileName)
            throw new InputException($"--json: {json} is the report's page in --report {report}; give the JSON file another name");
    }

    /// <summary>
    /// No input of the command (<paramref name="arguments"/>: its workload, a counterexample it replays) is where it writes
    /// a counterexample or its chart (--out, "PRESET[+SWITCHES]-WORKLOAD-KIND.json" or ".svg") or the report's page
    /// (--report, index.html): a workload saved under a counterexample's name in the --out folder was written over by the
    /// counterexample of its own search. Links are followed both ways, as the writes will follow them: an input that is
    /// such a name there, and such a name there that leads to an input.
    /// </summary>
    public static void CheckNoInputWritten(string? outDir, string? report, IEnumerable<string> arguments)
    {
        var inputs = new Dictionary<string, string>();
        foreach (var argument in arguments)
        {
            try
            {
                string full = Path.GetFullPath(argument);
                if (File.Exists(full)) inputs.TryAdd(Real(full), argument);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { }
        }
        foreach (var (dir, option, written) in new[] { (outDir, "--out", (Func<string, bool>)IsCounterexampleOrChart), (report, "--report", name => name == HtmlReport.FileName) })
        {
            if (dir is null) continue;
            foreach (var (input, argument) in inputs)
                if (In(input, dir, option) && written(Path.GetFileName(input)))
                    throw Holds(dir, option, argument);
            string real = Real(Full(dir, option));
            if (!Directory.Exists(real)) continue;
            foreach (var entry in Directory.EnumerateFileSystemEntries(real))
                if (written(Path.GetFileName(entry)) && AtomicFile.Target(entry) is { } target && inputs.TryGetValue(Real(target), out var led))
                    throw Holds(dir, option, led, $" through {entry}");
        }
    }

    static InputException Holds(string dir, string option, string argument, string how = "") =>
        new($"{option}: {dir} holds {argument}{how}, an input of this command, under a name {(option == "--out" ? "a counterexample or its chart may be saved as" : $"the report's page is saved as, {HtmlReport.FileName}")}; give another {option}, or move the input");

    /// <summary>
    /// A name explore may save a counterexample or its chart as: a preset's, with or without switches after it, then
    /// the workload's and the kind's (<see cref="Counterexample.FileName"/>). A workload only ending like one is no clash.
    /// </summary>
    static bool IsCounterexampleOrChart(string name)
    {
        string json = name.EndsWith(".svg", StringComparison.Ordinal) ? Path.ChangeExtension(name, ".json") : name;
        return Counterexample.IsFileName(json) && Variants.Presets.Any(p => json.StartsWith(p.Name + "-", StringComparison.Ordinal) || json.StartsWith(p.Name + "+", StringComparison.Ordinal));
    }

    /// <summary>
    /// A new --json file is not in <paramref name="dir"/>, a directory whose JSON files the command reads as its inputs
    /// (workloads --dir): the next listing would read it as one and fail on it. One that exists is an input, which
    /// <see cref="CheckNotAnInput"/> refuses.
    /// </summary>
    public static void CheckNotInInputDirectory(string? json, string dir, string option)
    {
        if (json is not { Length: > 0 } || !json.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.Exists(json)) return;
        if (In(Real(Full(json, "--json")), dir, option))
            throw new InputException($"--json: {json} is in {option} {dir}, whose JSON files are read as workloads; give it another folder");
    }

    /// <summary>Whether the file <paramref name="real"/> (links followed) lies directly in the directory <paramref name="dir"/>.</summary>
    static bool In(string real, string dir, string option) =>
        Path.GetDirectoryName(real) == Real(Full(dir, option)).TrimEnd(Path.DirectorySeparatorChar);

    /// <summary>A directory to write files into, e.g. --out or --report.</summary>
    public static void CheckDirectory(string? path, string option)
    {
        if (path is null) return;
        string full = Full(path, option);
        if (File.Exists(full)) throw new InputException($"{option}: {path} is a file; give a directory");
        CheckLength(full, option, path, 1 + Counterexample.LongestFileName);
        CheckWritableParent(full, option, path);
    }

    static string Full(string path, string option)
    {
        InputException.ThrowIfEmpty(path, option);
        try { return Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { throw new InputException($"{option}: {path}: {e.Message}"); }
    }

    /// <summary>The nearest existing ancestor must be a directory this process can create files in.</summary>
    static void CheckWritableParent(string dir, string option, string path)
    {
        string existing = dir;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing)) throw new InputException($"{option}: {path}: {existing} is a file, not a directory");
            existing = Path.GetDirectoryName(existing) ?? throw new InputException($"{option}: {path}: no existing parent directory");
        }
        string probe = Path.Combine(existing, $".smmu-actors-probe.{Environment.ProcessId}");
        try { using var _ = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException($"{option}: {path} cannot be written: no file can be created in {existing}"); }
    }

    static InputException Unwritable(string option, string path, Exception e) => new($"{option}: {path} cannot be written: {e.Message}");
}
