using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Support;

/// <summary>
/// Workloads cut down from the shipped ones so that an exhaustive search of them takes well under a second where a
/// shipped one takes many: for comparing search engines on what the shipped spaces are too large for.
/// </summary>
public static class SmallScenarios
{
    /// <summary>
    /// full-queue with one CPU: its TLBI and CMD_SYNC fill the two-slot queue while the power manager suspends and
    /// resumes. Its refresh and poll loops close cycles of reduced states, so the cycle proviso has states to expand
    /// again (7,160 states as posted).
    /// </summary>
    public const string OneCpuFullQueue = """
        {
          "name": "one-cpu-full-queue", "queueShift": 1,
          "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
          "threads": [
            { "name": "cpu0", "program": [ { "op": "tlbi", "iova": "A", "count": 1, "sync": true } ] },
            { "name": "pm", "program": [ { "op": "suspend" }, { "op": "idle", "ticks": 20 }, { "op": "resume" } ] }
          ],
          "delays": { "min": 1, "max": 3, "longProbability": 0.05, "longMax": 200, "menu": [1, 30, 200], "maxDelayed": 2 },
          "bounds": { "maxSteps": 5000, "maxStates": 5000000 }
        }
        """;

    /// <summary>
    /// reviewer-race without the resume: cpu0 unmaps A while the power manager suspends. Under loads=armv8 its space
    /// is small enough to search many ways (13,310 states under drain-by-sync).
    /// </summary>
    public const string UnmapWhileSuspending = """
        {
          "name": "unmap-while-suspending", "queueShift": 3,
          "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
          "threads": [
            { "name": "cpu0", "program": [ { "op": "unmap", "iova": "A" } ] },
            { "name": "pm", "program": [ { "op": "suspend" } ] }
          ],
          "delays": { "min": 1, "max": 3, "longProbability": 0.05, "longMax": 200, "menu": [1, 30, 200], "maxDelayed": 2 },
          "bounds": { "maxSteps": 5000, "maxStates": 5000000 }
        }
        """;

    /// <summary>
    /// unmap-while-suspending with a load before the unmap and longer delays: under drain-by-sync with
    /// <c>loads=armv8 owner-prod-store=relaxed</c> the suspend's own CMD_SYNC can never complete (35,493 states), which
    /// random runs reach too (seed 5: a drain-timeout among 20,000 runs).
    /// </summary>
    public const string LoadThenUnmapWhileSuspending = """
        { "name": "unmap-while-suspending", "queueShift": 3, "vars": ["x"], "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
          "threads": [ { "name": "cpu0", "program": [ { "op": "load", "var": "x" }, { "op": "unmap", "iova": "A" } ] },
                       { "name": "pm", "program": [ { "op": "suspend" } ] } ],
          "delays": { "min": 1, "max": 6, "longProbability": 0.1, "longMax": 300 }, "bounds": { "maxSteps": 5000, "maxStates": 300000 } }
        """;

    /// <summary>
    /// A stray command (<c>store-slot</c>) overwrites cpu1's CMD_SYNC while the power manager suspends and resumes, so
    /// cpu1's CMD_SYNC and the suspend's quiesce (waiting for cpu1 to leave the CMDQ lock) can both time out. When the
    /// quiesce's fires while cpu1 is still on its way out, cpu1's older cons overwrites the one the suspend wrote back
    /// into llq, and after resume the SMMU runs a consumed command again (queue-invariant): a kind that needs the second
    /// timeout to fire after the first, before nothing else can happen (23,031 states under no-reset-invalidate).
    /// </summary>
    public const string StraySlotWhileSuspending = """
        { "name": "stray-slot-while-suspending", "queueShift": 1, "iovas": [ { "name": "A", "mapped": true, "inTlb": true } ],
          "threads": [ { "name": "cpu0", "program": [ { "op": "store-slot", "slot": 1 } ] },
                       { "name": "cpu1", "program": [ { "op": "tlbi", "iova": "A" } ] },
                       { "name": "pm", "program": [ { "op": "suspend" }, { "op": "resume" } ] } ],
          "delays": { "min": 1, "max": 6, "longProbability": 0.1, "longMax": 300 }, "bounds": { "maxSteps": 5000, "maxStates": 300000 } }
        """;

    public static ScenarioModel Build(string workload, string preset, params string[] set) => Scenarios.Inline(workload, preset, set);
}
