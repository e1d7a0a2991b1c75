namespace SmmuActors.Model.Exploration;

/// <summary>An output the work had computed could not be written (a full disk, a device that refuses it): the work stands, the file does not.</summary>
public sealed class OutputException(string path, Exception inner) : IOException($"{path} could not be written: {inner.Message}", inner);
