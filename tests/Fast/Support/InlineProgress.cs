namespace SmmuActors.Tests.Support;

/// <summary>Progress reported on the caller's thread, at once: a test acts at a precise point of a campaign or search.</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
