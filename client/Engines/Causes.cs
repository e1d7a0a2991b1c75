namespace SmmuActors.Client.Engines;

/// <summary>What an engine's failure came from: Orleans wraps the cause it reports in inner and aggregated exceptions.</summary>
public static class Causes
{
    /// <summary>The <typeparamref name="T"/> anywhere in <paramref name="e"/>, inner and aggregated exceptions included.</summary>
    public static T? Within<T>(Exception e) where T : Exception => e switch
    {
        T found => found,
        AggregateException a => a.InnerExceptions.Select(Within<T>).FirstOrDefault(x => x is not null),
        _ => e.InnerException is { } inner ? Within<T>(inner) : null,
    };
}
