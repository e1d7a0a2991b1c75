namespace SmmuActors.Model.Exploration;

/// <summary>
/// Writes to a temporary file beside the target and renames it, so a reader never sees half a file. A link is followed
/// to the file it names, which is replaced while the link stays. A device, a pipe or a process's open file is written
/// through, as a shell's redirection would be: a rename would put a regular file in its place, or miss it; and this
/// process's own standard output or error (<c>/dev/stdout</c>) through the stream it already writes, after what it wrote.
/// A write that fails throws <see cref="OutputException"/> and leaves nothing behind.
/// </summary>
public static class AtomicFile
{
    /// <summary>Linux's limit on a file name, in bytes (NAME_MAX): the temporary name keeps within it however long the target's is.</summary>
    public const int NameMax = 255;

    /// <summary>Linux's limit on the links one path may pass through (MAXSYMLINKS).</summary>
    public const int MaxLinks = 40;

    static long _written;

    public static void WriteAllText(string path, string text)
    {
        try
        {
            if (Target(path) is { } target) Replace(target, text);
            else if (Standard(path) is { } stream)
            {
                // After what the process wrote there, ending its line, as a console's output ends.
                stream.Write(text.EndsWith('\n') ? text : text + Environment.NewLine);
                stream.Flush();
            }
            else
            {
                using var through = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write));
                through.Write(text);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(path, e);
        }
    }

    static void Replace(string target, string text)
    {
        var dir = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(dir);
        string name = Path.GetFileName(target);
        // Unique among this process's writes, however many run at once and however long the target's name.
        var tmp = Path.Combine(dir, $".{name[..Math.Min(name.Length, NameMax / 2)]}.{Environment.ProcessId}.{Interlocked.Increment(ref _written)}.tmp");
        try
        {
            File.WriteAllText(tmp, text);
            File.Move(tmp, target, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    /// <summary>
    /// The file a write to <paramref name="path"/> replaces, its links followed; null where it is to be written through: a
    /// device or a pipe, or a link through /proc or /dev/fd, which name a process's open files (<c>/dev/stdout</c> is
    /// <c>/proc/self/fd/1</c>: the terminal, a pipe, or the file its output is redirected to).
    /// </summary>
    public static string? Target(string path)
    {
        if (PathKinds.Of(path) is PathKind.Device or PathKind.Pipe) return null;
        string last = path;
        foreach (var step in Links(path))
        {
            if (step.StartsWith("/proc/", StringComparison.Ordinal) || step.StartsWith("/dev/fd/", StringComparison.Ordinal)) return null;
            last = step;
        }
        return last;
    }

    /// <summary>This process's standard output or error, where <paramref name="path"/> leads to descriptor 1 or 2.</summary>
    static TextWriter? Standard(string path)
    {
        string self = $"/proc/{Environment.ProcessId}/fd/";
        foreach (var step in Links(path))
            foreach (var dir in (string[])["/dev/fd/", "/proc/self/fd/", self])
                if (step.StartsWith(dir, StringComparison.Ordinal))
                    return step[dir.Length..] switch { "1" => Console.Out, "2" => Console.Error, _ => null };
        return null;
    }

    /// <summary><paramref name="path"/> in full, then each path its links lead to, one at a time.</summary>
    static IEnumerable<string> Links(string path)
    {
        string current = Path.GetFullPath(path);
        for (int links = 0; ; links++)
        {
            yield return current;
            if (new FileInfo(current).LinkTarget is not { } next) yield break;
            if (links == MaxLinks) throw new IOException($"{path}: too many levels of symbolic links");
            current = Path.GetFullPath(next, Path.GetDirectoryName(current)!);
        }
    }
}
