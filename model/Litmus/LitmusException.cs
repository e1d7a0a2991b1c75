namespace SmmuActors.Model.Litmus;

/// <summary>
/// A litmus test the tool cannot answer faithfully: a construct it does not support, or an access to something
/// that is no location; or, <paramref name="malformed"/>, no litmus test at all (a block never closed, a label never
/// defined, a line herd's grammar has no place for), which --skip-unsupported does not pass over. Carries where, so the
/// command can say file, line and instruction (exit 2).
/// </summary>
public sealed class LitmusException(string file, int line, string construct, string reason, bool malformed = false)
    : Exception($"{file}:{line}: {reason}: '{construct}'")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Construct { get; } = construct;
    public string Reason { get; } = reason;
    public bool Malformed { get; } = malformed;
}
