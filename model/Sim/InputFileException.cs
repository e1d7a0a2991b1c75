namespace SmmuActors.Model.Sim;

/// <summary>A file the user named could not be read (no such file, permission denied, a symbolic-link loop): bad input.</summary>
public sealed class InputFileException(string path, string reason) : Exception($"{path}: {reason}");
