namespace SmmuActors.Model.Sim;

/// <summary>
/// Reads a file the user named (a workload, a counterexample, a litmus test, a kinds file). What stops the read is bad
/// input, said in one line by the caller's error: a file the user may not read, or a symbolic-link loop, was an
/// internal error before.
/// </summary>
public static class InputFile
{
    /// <summary>The most an input file may hold: far more than any workload, counterexample or litmus test.</summary>
    public const int MaxChars = 64 << 20;

    /// <summary>
    /// The text of <paramref name="path"/>; otherwise <paramref name="error"/> of the reason, thrown. Read up to
    /// <see cref="MaxChars"/>: a device such as /dev/zero was read until the process ran out of memory.
    /// </summary>
    public static string Read(string path, Func<string, Exception> error) => Opened(path, error, () =>
    {
        // Strict: bytes that are not UTF-8 were read as U+FFFD and the file accepted, a name or a value silently changed.
        // A byte-order mark still picks UTF-16 or UTF-32.
        using var reader = new StreamReader(path, Strict, detectEncodingFromByteOrderMarks: true);
        var text = new System.Text.StringBuilder();
        var chunk = new char[1 << 16];
        for (int n; (n = reader.Read(chunk, 0, chunk.Length)) > 0;)
        {
            if (text.Length + n > MaxChars) throw error($"more than {MaxChars >> 20} MiB of text: not an input this tool reads");
            text.Append(chunk, 0, n);
        }
        return text.ToString();
    });

    /// <summary>
    /// Throws <paramref name="error"/> of the reason unless <paramref name="path"/> can be read: checked before any work,
    /// where File.Exists says only "no" for a file in a directory the user may not search.
    /// </summary>
    public static void Check(string path, Func<string, Exception> error) => Opened(path, error, () =>
    {
        File.OpenRead(path).Dispose();
        return 0;
    });

    static readonly System.Text.UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary><paramref name="open"/>'s result, what stops it opening or reading <paramref name="path"/> thrown as <paramref name="error"/>.</summary>
    static T Opened<T>(string path, Func<string, Exception> error, Func<T> open)
    {
        try { return open(); }
        catch (System.Text.DecoderFallbackException) { throw error("not UTF-8 text: it holds bytes that UTF-8 does not allow"); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw error("no such file"); }
        catch (UnauthorizedAccessException) { throw error("permission denied"); }
        catch (IOException e) { throw error(Reason(e, path)); }
    }

    /// <summary>The files in <paramref name="dir"/> matching <paramref name="pattern"/>; otherwise <paramref name="error"/>.</summary>
    public static string[] List(string dir, string pattern, Func<string, Exception> error)
    {
        try { return Directory.GetFiles(dir, pattern); }
        catch (DirectoryNotFoundException) { throw error(File.Exists(dir) ? "a file, not a directory" : "no such directory"); }
        catch (UnauthorizedAccessException) { throw error("permission denied"); }
        catch (IOException e) { throw error(Reason(e, dir)); }
    }

    /// <summary>The system's reason without the path it appends (" : 'PATH'"), which the caller's error names already.</summary>
    static string Reason(IOException e, string path)
    {
        string m = e.Message, tail = $" : '{path}'";
        m = m.EndsWith(tail, StringComparison.Ordinal) ? m[..^tail.Length] : m;
        return m.TrimEnd('.').ToLowerInvariant();
    }
}
