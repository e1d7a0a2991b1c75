using SmmuActors.Model.Exploration;

namespace SmmuActors.Client;

/// <summary>A number of random runs given on the command line (explore, bench, bench-cluster).</summary>
public static class RunCount
{
    /// <summary>
    /// <paramref name="n"/> if it is a number of runs from 1 to <see cref="Explorer.MaxRuns"/>; a larger one once
    /// overflowed the batch count and printed a clean verdict from no run at all.
    /// </summary>
    public static long Check(string option, long n) =>
        n is >= 1 and <= Explorer.MaxRuns ? n : throw new InputException($"{option}: {n} is not a number of runs from 1 to {Explorer.MaxRuns:N0}");
}
