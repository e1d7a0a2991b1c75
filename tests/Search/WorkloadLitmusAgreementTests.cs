using System.Text;
using SmmuActors.Model.Exploration;
using SmmuActors.Model.Litmus;
using SmmuActors.Model.Sim;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Search;

/// <summary>
/// Two engines, one architecture: a workload of plain ops under loads=armv8 (DriverThread, MemoryComponent) and the
/// same program as a herd-format litmus test (LitmusCpu, LitmusMemory, checked against herd's catalogue) must allow
/// exactly the same load values. Programs are drawn at random, with a fixed seed, from load, store, store-release,
/// smp_mb (DMB ISH) and dma_wmb (DMB OSHST) over two or three variables; each thread's loads go to X0, X1, ... A
/// disagreement prints both programs and the outcomes only one engine reaches.
/// </summary>
[Trait("Suite", "Search")]
public sealed class WorkloadLitmusAgreementTests
{
    enum Kind { Load, Store, Release, Mb, Wmb }

    readonly record struct Step(Kind Kind, int Var, long Value);

    static readonly string[] Vars = ["x", "y", "z"];

    [Theory]
    [InlineData(2, 2, 600)]
    [InlineData(3, 3, 200)]
    public void Workload_loads_under_armv8_reach_what_the_litmus_explorer_reaches(int threads, int vars, int programs)
    {
        var rng = new Random(20261205 + threads);
        var disagreements = new List<string>();
        for (int p = 0; p < programs; p++)
        {
            var program = Draw(rng, threads, vars);
            var workload = Workload(program, vars);
            var (result, _, exhausted) = Scenarios.Exhaustive(Scenarios.Inline(workload, "as-posted", "loads=armv8"));
            Assert.True(exhausted);
            var byWorkload = result.Outcomes.Keys.ToHashSet();
            var litmusText = Litmus(program, vars);
            var run = LitmusExplorer.Run(LitmusParser.Parse(litmusText, "gen.litmus"), CancellationToken.None);
            Assert.Null(run.IncompleteReason);
            var byLitmus = run.Finals.Select(f => Outcome(program, f)).ToHashSet();
            if (!byWorkload.SetEquals(byLitmus))
                disagreements.Add($"{workload}\n{litmusText}\nonly the workload: {string.Join(" | ", byWorkload.Except(byLitmus))}\n" +
                    $"only litmus: {string.Join(" | ", byLitmus.Except(byWorkload))}");
        }
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {programs} programs disagree; the first:\n{disagreements.FirstOrDefault()}");
    }

    /// <summary>
    /// LB with two loads of x before a dma_wmb: the second load is held behind the first (CoRR), and DMB OSHST orders
    /// stores only, so the store after it may still become visible before either load is satisfied. The drawn programs
    /// had not met the shape; a dma_wmb that waited for the held load made the workload miss x=2, x=2, y=1.
    /// </summary>
    [Fact]
    public void A_dma_wmb_does_not_wait_for_a_load_held_behind_another()
    {
        Step[][] program =
        [
            [new(Kind.Load, 0, 0), new(Kind.Load, 0, 0), new(Kind.Wmb, 0, 0), new(Kind.Store, 1, 1)],
            [new(Kind.Load, 1, 0), new(Kind.Mb, 0, 0), new(Kind.Store, 0, 2)],
        ];
        var byWorkload = Scenarios.Exhaustive(Scenarios.Inline(Workload(program, 2), "as-posted", "loads=armv8")).Result.Outcomes.Keys.ToHashSet();
        var run = LitmusExplorer.Run(LitmusParser.Parse(Litmus(program, 2), "lb.litmus"), CancellationToken.None);
        var byLitmus = run.Finals.Select(f => Outcome(program, f)).ToHashSet();
        Assert.Contains("cpu0:x=2 cpu0:x=2 cpu1:y=1", byLitmus);
        Assert.Equal(byLitmus.Order(), byWorkload.Order());
    }

    /// <summary>
    /// MP whose store-release waits for the load before it while the plain store after it goes: the reader may see the
    /// release and not that store (some interleaving gives it), and a store before the release never after it
    /// (<c>po; [L]</c>). Both engines once sent the held release behind every store
    /// sent before it, the later one included, and agreed on the wrong answer; the axiomatic reading of aarch64.cat
    /// (tests/Fast/Litmus/Aarch64Cat.cs) found it.
    /// </summary>
    [Fact]
    public void A_store_release_held_for_a_load_is_not_put_behind_a_later_store()
    {
        Step[][] after =
        [
            [new(Kind.Load, 2, 0), new(Kind.Release, 0, 1), new(Kind.Store, 1, 2)],
            [new(Kind.Load, 0, 0), new(Kind.Mb, 0, 0), new(Kind.Load, 1, 0)],
        ];
        Step[][] before =
        [
            [new(Kind.Load, 2, 0), new(Kind.Store, 1, 2), new(Kind.Release, 0, 1), new(Kind.Store, 2, 3)],
            [new(Kind.Load, 0, 0), new(Kind.Mb, 0, 0), new(Kind.Load, 1, 0)],
        ];
        var (allowed, forbidden) = (Outcomes(after), Outcomes(before));
        Assert.Contains("cpu0:z=0 cpu1:x=1 cpu1:y=0", allowed.Workload);
        Assert.Equal(allowed.Litmus.Order(), allowed.Workload.Order());
        Assert.DoesNotContain("cpu0:z=0 cpu1:x=1 cpu1:y=0", forbidden.Workload);
        Assert.Contains("cpu0:z=0 cpu1:x=1 cpu1:y=2", forbidden.Workload);
        Assert.Equal(forbidden.Litmus.Order(), forbidden.Workload.Order());

        static (HashSet<string> Workload, HashSet<string> Litmus) Outcomes(Step[][] program)
        {
            var byWorkload = Scenarios.Exhaustive(Scenarios.Inline(Workload(program, 3), "as-posted", "loads=armv8")).Result.Outcomes.Keys.ToHashSet();
            var run = LitmusExplorer.Run(LitmusParser.Parse(Litmus(program, 3), "mp.litmus"), CancellationToken.None);
            return (byWorkload, run.Finals.Select(f => Outcome(program, f)).ToHashSet());
        }
    }

    /// <summary>
    /// Random runs (virtual time, random delays) take the same rules through the timed path (OrderingRules.Place): what
    /// they reach is reached by the search, and over many runs they reach LB's and MP's reorderings too.
    /// </summary>
    [Fact]
    public void Random_runs_of_such_programs_reach_only_what_the_search_reaches()
    {
        var rng = new Random(20261206);
        long outside = 0, reached = 0, searched = 0;
        string? first = null;
        for (int p = 0; p < 60; p++)
        {
            var workload = Workload(Draw(rng, 2, 2), 2, """{ "min": 1, "max": 6, "longProbability": 0.2, "longMax": 40 }""");
            var model = Scenarios.Inline(workload, "as-posted", "loads=armv8");
            var all = Scenarios.Exhaustive(model).Result.Outcomes.Keys.ToHashSet();
            var random = RandomBatch.Run(model, 7, 0, 400).Outcomes.Keys.ToHashSet();
            searched += all.Count;
            reached += random.Count;
            foreach (var o in random.Where(o => !all.Contains(o))) { outside++; first ??= $"{workload}\n{o}"; }
        }
        Assert.True(outside == 0, $"{outside} outcomes of random runs the search does not reach; the first:\n{first}");
        Assert.True(reached > searched * 3 / 4, $"random runs reached {reached} of the {searched} outcomes: too few to mean anything");
    }

    /// <summary>Two to four steps a thread, at least one load in each; every store writes a value of its own.</summary>
    static Step[][] Draw(Random rng, int threads, int vars)
    {
        long value = 0;
        return Enumerable.Range(0, threads).Select(_ =>
        {
            var steps = new List<Step>();
            int n = rng.Next(2, 5);
            for (int k = 0; k < n; k++)
            {
                var kind = (Kind)rng.Next(5);
                steps.Add(new Step(kind, rng.Next(vars), kind is Kind.Store or Kind.Release ? ++value : 0));
            }
            if (!steps.Any(s => s.Kind == Kind.Load)) steps[rng.Next(n)] = new Step(Kind.Load, rng.Next(vars), 0);
            return steps.ToArray();
        }).ToArray();
    }

    /// <summary>The program as a workload; <paramref name="delays"/>, the random runs' delay model (the search takes none).</summary>
    static string Workload(Step[][] program, int vars, string delays = """{ "min": 1, "max": 1 }""")
    {
        string Op(Step s) => s.Kind switch
        {
            Kind.Load => $$"""{ "op": "load", "var": "{{Vars[s.Var]}}" }""",
            Kind.Store => $$"""{ "op": "store", "var": "{{Vars[s.Var]}}", "value": {{s.Value}} }""",
            Kind.Release => $$"""{ "op": "store-release", "var": "{{Vars[s.Var]}}", "value": {{s.Value}} }""",
            Kind.Mb => """{ "op": "smp_mb" }""",
            _ => """{ "op": "dma_wmb" }""",
        };
        var threads = program.Select((steps, t) => $$"""{ "name": "cpu{{t}}", "program": [ {{string.Join(", ", steps.Select(Op))}} ] }""");
        return $$"""
            { "name": "gen", "queueShift": 3, "vars": [{{string.Join(", ", Vars.Take(vars).Select(v => $"\"{v}\""))}}],
              "threads": [ {{string.Join(", ", threads)}} ], "delays": {{delays}}, "bounds": { "maxSteps": 5000, "maxStates": 1000000 } }
            """;
    }

    /// <summary>Variable v's address in X(10+v); a store's value goes through X20.</summary>
    static string Litmus(Step[][] program, int vars)
    {
        var columns = program.Select(steps =>
        {
            int load = 0;
            return steps.SelectMany(s => s.Kind switch
            {
                Kind.Load => [$"LDR X{load++},[X{10 + s.Var}]"],
                Kind.Store => new[] { $"MOV X20,#{s.Value}", $"STR X20,[X{10 + s.Var}]" },
                Kind.Release => [$"MOV X20,#{s.Value}", $"STLR X20,[X{10 + s.Var}]"],
                Kind.Mb => ["DMB ISH"],
                _ => ["DMB OSHST"],
            }).ToList();
        }).ToList();
        var text = new StringBuilder("AArch64 gen\n{\n");
        for (int t = 0; t < program.Length; t++)
            text.AppendLine(string.Join(" ", Enumerable.Range(0, vars).Select(v => $"{t}:X{10 + v}={Vars[v]};")));
        text.AppendLine("}");
        text.AppendLine(string.Join(" | ", program.Select((_, t) => $"P{t}")) + " ;");
        int rows = columns.Max(c => c.Count);
        for (int r = 0; r < rows; r++)
            text.AppendLine(string.Join(" | ", columns.Select(c => r < c.Count ? c[r] : "")) + " ;");
        text.AppendLine("exists (true)");
        return text.ToString();
    }

    /// <summary>A final state as the workload's outcome: each thread's loads in program order, "cpuT:var=value".</summary>
    static string Outcome(Step[][] program, LitmusFinal f) =>
        string.Join(" ", program.SelectMany((steps, t) => steps.Where(s => s.Kind == Kind.Load)
            .Select((s, k) => $"cpu{t}:{Vars[s.Var]}={f.Registers[t][k]}")));
}
