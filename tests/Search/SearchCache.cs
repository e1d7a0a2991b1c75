using System.Collections.Concurrent;
using SmmuActors.Model.Exploration;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// Each (workload, preset) searched once per test run and shared by the verdict and random-subset tests.
/// Workloads larger than reviewer-race are searched to <see cref="LargeBound"/> states: their spaces
/// exceed what the search covers, and the tests check that it says so.
/// </summary>
static class SearchCache
{
    public const long LargeBound = 20_000;

    static readonly ConcurrentDictionary<(string, string), Lazy<ExhaustiveResult>> Results = new();

    public static ExhaustiveResult Of(string workload, string preset) =>
        Results.GetOrAdd((workload, preset), key => new Lazy<ExhaustiveResult>(() =>
        {
            var model = Scenarios.Shipped($"{key.Item1}.json", key.Item2);
            var limits = key.Item1 == "reviewer-race" ? SearchLimits.For(model) : SearchLimits.For(model) with { MaxStates = LargeBound };
            return StateSpaceSearch.Explore(model, limits, null, CancellationToken.None);
        })).Value;
}
