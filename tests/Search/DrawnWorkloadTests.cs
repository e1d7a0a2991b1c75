using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;
using Xunit.Abstractions;

namespace SmmuActors.Tests.Search;

/// <summary>
/// Cross-checks over workloads drawn at random (<see cref="DrawnWorkloads"/>, fixed seeds) rather than the shipped ones:
/// the partial-order reduction keeps the full search's kinds and outcomes, random runs find nothing the search does not,
/// and the search on two workers or three partitions equals the one-worker search. The shipped workloads exercise few op
/// mixes; a sweep of these found random runs naming the timeout of drain=sync's CMD_SYNC differently from the search
/// (<see cref="DrainBySyncTimeoutTests"/>).
/// </summary>
[Trait("Suite", "Search")]
public sealed class DrawnWorkloadTests(ITestOutputHelper log)
{
    /// <summary>
    /// Runs <paramref name="check"/> on <paramref name="count"/> drawn workloads: it says whether the searches closed within
    /// the bound (only those are compared) and how they disagree, if they do. At least half must close, or the check said little.
    /// </summary>
    void Sweep(int seed, int count, int maxStates, Func<ScenarioModel, (bool Closed, string? Disagreement)> check)
    {
        var rng = new Random(seed);
        int compared = 0;
        var disagreements = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var drawn = DrawnWorkloads.Draw(rng, maxStates);
            var (closed, disagreement) = check(drawn.Build());
            if (!closed) continue;
            compared++;
            if (disagreement is not null) disagreements.Add($"{drawn}\n{disagreement}");
        }
        log.WriteLine($"{compared} of {count} drawn workloads compared");
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {compared} disagree; the first:\n{string.Join("\n\n", disagreements.Take(2))}");
        Assert.True(compared >= count / 2, $"only {compared} of {count} searches closed within {maxStates:N0} states");
    }

    static string? Differ<T>(string what, IEnumerable<T> full, IEnumerable<T> reduced)
    {
        var (a, b) = (full.ToHashSet(), reduced.ToHashSet());
        return a.SetEquals(b) ? null : $"{what}: only full: {string.Join(" | ", a.Except(b))}; only reduced: {string.Join(" | ", b.Except(a))}";
    }

    [Fact]
    public void The_reduced_search_keeps_the_full_searchs_kinds_and_outcomes() =>
        Sweep(31, 30, 100_000, model =>
        {
            var reduced = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, reduce: true);
            var full = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, reduce: false);
            if (!reduced.Exhausted || !full.Exhausted) return (false, null);
            string? kinds = Differ("kinds", full.Result.ViolationsByKind.Keys, reduced.Result.ViolationsByKind.Keys);
            string? outcomes = Differ("outcomes", full.Result.Outcomes.Keys, reduced.Result.Outcomes.Keys);
            return (true, kinds ?? outcomes);
        });

    [Fact]
    public void Random_runs_find_no_kind_or_outcome_the_search_does_not() =>
        Sweep(21, 120, 100_000, model =>
        {
            var search = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None);
            if (!search.Exhausted) return (false, null);
            var random = RandomBatch.Run(model, 7, 0, 1000);
            var kinds = random.ViolationsByKind.Keys.Except(search.Result.ViolationsByKind.Keys).ToList();
            var outcomes = random.Outcomes.Keys.Except(search.Result.Outcomes.Keys).ToList();
            return (true, kinds.Count + outcomes.Count == 0 ? null
                : $"only random runs: kinds {string.Join(", ", kinds)}; outcomes {string.Join(" | ", outcomes)}");
        });

    /// <summary>
    /// The search split over partitions (as the grains split it over silos) and over two worker threads agrees with the
    /// one-thread search in everything <see cref="SearchAssert.Same"/> compares: states, counts, witnesses.
    /// </summary>
    [Fact]
    public void Partitioned_and_two_worker_searches_equal_the_one_worker_search() =>
        Sweep(61, 40, 100_000, model =>
        {
            var local = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None);
            if (!local.Exhausted) return (false, null);
            return (true, Differs("two workers", () => StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, workers: 2))
                ?? Differs("three partitions", () => PartitionedSearch.Explore(model, 3, SearchLimits.For(model), null, CancellationToken.None).Result));

            string? Differs(string how, Func<ExhaustiveResult> search)
            {
                try
                {
                    SearchAssert.Same(local, search());
                    return null;
                }
                catch (Xunit.Sdk.XunitException e)
                {
                    return $"{how}: {e.Message}";
                }
            }
        });
}
