namespace SmmuActors.Grains.Placement;

/// <summary>
/// How long work that keeps failing with a lost silo is retried (a campaign's batch or shrink, a search's attempt):
/// failure detection takes a few seconds on an idle local cluster but can take minutes on a loaded machine (Orleans'
/// death votes expire after two), and a count of tries ran out in about 70 s (a campaign's) or 36 s (a search's) whatever
/// the membership was doing. Work that fails longer ends with the error.
/// </summary>
public static class SiloLossRetry
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    /// <summary>The failures a lost silo gives its callers.</summary>
    public static bool Transient(Exception e) => e is OrleansException or TimeoutException;

    /// <summary>Whether a failure (the first of a run of them when <paramref name="since"/> is 0, which it then marks) is retried.</summary>
    public static bool StillTrying(ref long since)
    {
        long now = Environment.TickCount64;
        if (since == 0) since = now;
        return now - since < (long)GiveUpAfter.TotalMilliseconds;
    }
}
