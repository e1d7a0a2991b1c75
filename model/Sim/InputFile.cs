namespace SmmuActors.Model.Sim;

/// <summary>
/// Reads a file the user named (a workload, a counterexample, a litmus test, a kinds file). What stops the read is bad
/// input, said in one line by the caller's error: a file the user may not read, or a symbolic-link loop, was an
/// internal error before.
/// </summary>
public static class InputFile
{
    /// <summary>The most an input file may hold, in bytes: far more than any workload, counterexample or litmus test.</summary>
    public const int MaxBytes = 64 << 20;

    /// <summary>
    /// The text of <paramref name="path"/>; otherwise <paramref name="error"/> of the reason, thrown. Read up to
    /// <see cref="MaxBytes"/>: a device such as /dev/zero was read until the process ran out of memory. UTF-8, or what a
    /// byte-order mark names, decoded strictly: bytes the encoding does not allow were read as U+FFFD and the file
    /// accepted with a name or a value silently changed (so too behind a mark, which the reader's own detection decodes
    /// leniently).
    /// </summary>
    public static string Read(string path, Func<string, Exception> error) => Opened(path, error, () =>
    {
        // Read whole, not sought: a FIFO (a shell's process substitution) cannot go back to re-read its mark.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var bytes = new MemoryStream();
        var chunk = new byte[1 << 16];
        for (int n; (n = stream.Read(chunk, 0, chunk.Length)) > 0;)
        {
            if (bytes.Length + n > MaxBytes) throw error($"more than {MaxBytes >> 20} MiB of text: not an input this tool reads");
            bytes.Write(chunk, 0, n);
        }
        var all = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
        var (encoding, mark, name) = Strict(all);
        try { return encoding.GetString(all[mark..]); }
        catch (System.Text.DecoderFallbackException) { throw error($"not {name} text: it holds bytes that {name} does not allow"); }
    });

    /// <summary>The strict decoding the byte-order mark at the start of <paramref name="text"/> names (UTF-8 without one), and the mark's length.</summary>
    static (System.Text.Encoding Encoding, int Mark, string Name) Strict(ReadOnlySpan<byte> text) => text switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (Utf8, 3, "UTF-8"),
        [0xFF, 0xFE, 0x00, 0x00, ..] => (new System.Text.UTF32Encoding(bigEndian: false, byteOrderMark: true, throwOnInvalidCharacters: true), 4, "UTF-32"),
        [0x00, 0x00, 0xFE, 0xFF, ..] => (new System.Text.UTF32Encoding(bigEndian: true, byteOrderMark: true, throwOnInvalidCharacters: true), 4, "UTF-32"),
        [0xFF, 0xFE, ..] => (new System.Text.UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true), 2, "UTF-16"),
        [0xFE, 0xFF, ..] => (new System.Text.UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true), 2, "UTF-16"),
        _ => (Utf8, 0, "UTF-8"),
    };

    static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Throws <paramref name="error"/> of the reason unless <paramref name="path"/> can be read: checked before any work,
    /// where File.Exists says only "no" for a file in a directory the user may not search.
    /// </summary>
    public static void Check(string path, Func<string, Exception> error) => Opened(path, error, () =>
    {
        File.OpenRead(path).Dispose();
        return 0;
    });

    /// <summary><paramref name="open"/>'s result, what stops it opening or reading <paramref name="path"/> thrown as <paramref name="error"/>.</summary>
    static T Opened<T>(string path, Func<string, Exception> error, Func<T> open)
    {
        try { return open(); }
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
