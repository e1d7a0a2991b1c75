namespace SmmuActors.Model.Litmus;

/// <summary>
/// A litmus test the tool cannot answer faithfully: a construct it does not support, or an access to something
/// that is no location. Carries where, so the command can say file, line and instruction (exit 2).
/// </summary>
public sealed class LitmusException(string file, int line, string construct, string reason)
    : Exception($"{file}:{line}: {reason}: '{construct}'")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Construct { get; } = construct;
    public string Reason { get; } = reason;
}
