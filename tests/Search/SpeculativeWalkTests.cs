using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// The walker may fill a valid PTE at any moment while SMMUEN=1 (protocol.md §0.8), not only at SMMUEN 0->1 and after a
/// TLBI (an audit found the model filled only then). So a translation mapped during the run, or valid but not cached at
/// the start, can be cached before an unmap whose TLBI is elided while SMMUEN=1 (stop-before-disable sets STOP before
/// SMMUEN=0): stale-translation, as when it starts cached. As posted, SMMUEN=0 comes before STOP, so an elided TLBI
/// leaves nothing the SMMU may use, and the search stays clean. Each is also searched without the reduction, whose
/// closure must take in the PTEs once it holds the SMMU (a valid PTE's store tells the walker).
/// </summary>
[Trait("Suite", "Search")]
public sealed class SpeculativeWalkTests
{
    /// <summary>A starts valid but not in the TLB; cpu0 unmaps it while the power manager suspends.</summary>
    const string ValidNotCached = """
        { "name": "valid-not-cached", "queueShift": 3, "iovas": [ { "name": "A", "mapped": true, "inTlb": false } ],
          "threads": [ { "name": "cpu0", "program": [ { "op": "unmap", "iova": "A" } ] }, { "name": "pm", "program": [ { "op": "suspend" } ] } ],
          "delays": { "min": 1, "max": 3, "longProbability": 0.05, "longMax": 200 }, "bounds": { "maxSteps": 5000, "maxStates": 1000000 } }
        """;

    /// <summary>A starts unmapped; cpu0 maps it, then unmaps it, while the power manager suspends.</summary>
    const string MappedDuringTheRun = """
        { "name": "mapped-during-the-run", "queueShift": 3, "iovas": [ { "name": "A", "mapped": false, "inTlb": false } ],
          "threads": [ { "name": "cpu0", "program": [ { "op": "map", "iova": "A" }, { "op": "unmap", "iova": "A" } ] },
                       { "name": "pm", "program": [ { "op": "suspend" } ] } ],
          "delays": { "min": 1, "max": 3, "longProbability": 0.05, "longMax": 200 }, "bounds": { "maxSteps": 5000, "maxStates": 1000000 } }
        """;

    [Theory]
    [InlineData(ValidNotCached, "stop-before-disable", "stale-translation")]
    [InlineData(MappedDuringTheRun, "stop-before-disable", "stale-translation")]
    [InlineData(ValidNotCached, "as-posted", "")]
    [InlineData(MappedDuringTheRun, "as-posted", "")]
    public void A_translation_the_walker_may_cache_at_any_moment_goes_stale_when_its_TLBI_is_elided_while_SMMUEN_is_1(string workload, string preset, string kinds)
    {
        var model = SmallScenarios.Build(workload, preset);
        foreach (bool reduce in new[] { true, false })
        {
            var r = StateSpaceSearch.Explore(model, SearchLimits.For(model), null, CancellationToken.None, reduce);
            Assert.True(r.Exhausted, r.IncompleteReason);
            Assert.Equal(kinds, string.Join(",", r.Result.ViolationsByKind.Keys.Select(k => Naming.Kebab(k)).Order()));
        }
    }
}
