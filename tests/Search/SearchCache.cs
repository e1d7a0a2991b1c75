using System.Collections.Concurrent;
using SmmuActors.Model.Exploration;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// Each (workload, preset) searched once per test run and shared by the verdict and random-subset tests.
/// Spaces that close within their workload's own bound are searched to the end; the others to
/// <see cref="LargeBound"/> states, and the tests check that the search says it stopped.
/// </summary>
static class SearchCache
{
    public const long LargeBound = 20_000;

    static readonly ConcurrentDictionary<(string, string), Lazy<ExhaustiveResult>> Results = new();

    /// <summary>Whether the space closes within the workload's own bound: every preset on reviewer-race, all but two on full-queue.</summary>
    public static bool Closes(string workload, string preset) =>
        workload == "reviewer-race" || workload == "full-queue" && preset is not ("gate-outside-cas" or "no-gate");

    public static ExhaustiveResult Of(string workload, string preset) =>
        Results.GetOrAdd((workload, preset), key => new Lazy<ExhaustiveResult>(() =>
        {
            var model = Scenarios.Shipped($"{key.Item1}.json", key.Item2);
            var limits = Closes(key.Item1, key.Item2) ? SearchLimits.For(model) : SearchLimits.For(model) with { MaxStates = LargeBound };
            return StateSpaceSearch.Explore(model, limits, null, CancellationToken.None);
        })).Value;
}
