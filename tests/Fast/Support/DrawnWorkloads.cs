using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Support;

/// <summary>
/// Workloads drawn at random for cross-checks beyond the shipped ones: one to three CPUs of one to three driver or litmus
/// ops, perhaps a power manager, a queue of two to eight slots, under a random preset with in-order or Armv8 loads and up
/// to two more switches.
/// </summary>
public static class DrawnWorkloads
{
    static readonly string[] CpuOps =
    [
        """{ "op": "unmap", "iova": "A" }""", """{ "op": "map", "iova": "B" }""", """{ "op": "tlbi", "iova": "A" }""",
        """{ "op": "sync" }""", """{ "op": "load", "var": "x" }""", """{ "op": "store", "var": "x", "value": 1 }""",
        """{ "op": "smp_mb" }""", """{ "op": "load", "var": "y" }""", """{ "op": "store-release", "var": "y", "value": 2 }""",
        """{ "op": "dma_wmb" }""", """{ "op": "dma_mb" }""", """{ "op": "idle", "ticks": 3 }""", """{ "op": "store-slot", "slot": 1 }""",
        """{ "op": "writel", "register": "gbpa", "value": 1 }""", """{ "op": "writel_relaxed", "register": "gbpa", "value": 2 }""",
        """{ "op": "map", "iova": "A" }""", """{ "op": "unmap", "iova": "B" }""",
    ];

    static readonly string[] PmPrograms =
    [
        """{ "op": "suspend" }""", """{ "op": "suspend" }, { "op": "idle", "ticks": 5 }, { "op": "resume" }""",
        // No resume without a suspend before it: the PM core never calls one (the loader refuses it).
        """{ "op": "suspend" }, { "op": "resume" }, { "op": "suspend" }""",
        """{ "op": "suspend" }, { "op": "resume" }""",
    ];

    /// <summary>An op for CPU <paramref name="cpu"/>: only cpu0 maps and unmaps, since one thread owns an IOVA.</summary>
    static string Op(Random rng, int cpu)
    {
        while (true)
        {
            string op = CpuOps[rng.Next(CpuOps.Length)];
            if (cpu == 0 || !op.Contains("map")) return op;
        }
    }

    /// <summary>A drawn workload's text, preset and switches.</summary>
    public readonly record struct Drawn(string Json, string Preset, string[] Set)
    {
        public ScenarioModel Build() => Scenarios.Inline(Json, Preset, Set);

        public override string ToString() => $"{Preset} {string.Join(' ', Set)}\n{Json}";
    }

    /// <summary>The workload, preset and switches drawn next; <paramref name="maxStates"/> bounds its search.</summary>
    public static Drawn Draw(Random rng, int maxStates)
    {
        var threads = new List<string>();
        int cpus = rng.Next(1, 4);
        for (int t = 0; t < cpus; t++)
        {
            // Three CPUs get one op each: more blows the full search past any bound a test can wait for.
            int n = rng.Next(1, cpus == 3 ? 2 : 4);
            threads.Add($$"""{ "name": "cpu{{t}}", "program": [ {{string.Join(", ", Enumerable.Range(0, n).Select(_ => Op(rng, t)))}} ] }""");
        }
        if (rng.Next(3) > 0) threads.Add($$"""{ "name": "pm", "program": [ {{PmPrograms[rng.Next(PmPrograms.Length)]}} ] }""");
        string json = $$"""
            { "name": "drawn", "queueShift": {{rng.Next(1, 4)}}, "vars": ["x", "y"],
              "iovas": [ { "name": "A", "mapped": true, "inTlb": true }, { "name": "B", "mapped": false } ],
              "threads": [ {{string.Join(", ", threads)}} ], "delays": { "min": 1, "max": 6, "longProbability": 0.1, "longMax": 300 },
              "bounds": { "maxSteps": 5000, "maxStates": {{maxStates}} } }
            """;
        var presets = Variants.Presets;
        var switches = Variants.Switches.Where(s => s.Name != "loads").ToArray();
        var set = new List<string> { rng.Next(2) == 0 ? "loads=armv8" : "loads=in-order" };
        for (int k = rng.Next(3); k > 0; k--)
        {
            var s = switches[rng.Next(switches.Length)];
            set.Add($"{s.Name}={s.Values[rng.Next(s.Values.Length)]}");
        }
        string preset = presets[rng.Next(presets.Count)].Name;
        // A non-coherent walker goes with CONS polling in the driver; Variants.Build refuses it with MSI polling.
        if (!Scenarios.Builds(preset, [.. set]))
        {
            set.RemoveAll(a => a.StartsWith("sync-mode=", StringComparison.Ordinal));
            set.Add("sync-mode=cons");
        }
        return new Drawn(json, preset, set.ToArray());
    }
}
