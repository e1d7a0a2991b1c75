namespace SmmuActors.Tests.Litmus;

/// <summary>
/// The explorer against an axiomatic reading of aarch64.cat (<see cref="Aarch64Cat"/>, no code shared): on small random tests
/// from a fixed seed, the final states the explorer reaches must be exactly those of the executions the cat allows. Where
/// <see cref="SequentialConsistencyTests"/> checks only that nothing sequentially consistent is missed, this checks both
/// ways for every relaxed outcome: a final state the explorer lacks is an answer too strong, one it has beyond the cat's too
/// weak.
/// </summary>
[Trait("Suite", "Fast")]
public class AxiomaticAgreementTests
{
    [Fact]
    public void The_explorer_reaches_exactly_the_final_states_aarch64_cat_allows() =>
        Check(seed: 2, tests: 300, maxRefused: 30, random => RandomCase.Generate(random));

    /// <summary>
    /// The wider language: exclusive pairs, ADD/ORR/AND of read values, CMP and CSEL, STADD, the DMB ISH spellings. Its tests
    /// are longer, so fewer run, and more are refused (about one in six over 1,400: held-back writes, the explorer's own
    /// LDop reads, docs/litmus.md "What the explorer refuses").
    /// </summary>
    [Fact]
    public void With_exclusives_selects_and_arithmetic_too() => Check(seed: 5, tests: 80, maxRefused: 24, random => RandomCase.Generate(random, wide: true));

    /// <summary>
    /// A thread's own write read back and then used (<see cref="TemplateLitmus"/>), the shapes where a helper's tests found
    /// the explorer too weak (a branch and ISB on a read of its own CAS's write) and too strong (a failed CAS's read that DMB
    /// ST or a write-back ordered): seed 26's first 2,000 hold one of the latter (test 534, now refused). About a third are
    /// refused (held-back writes, own LDop reads, a failed CAS's write-back).
    /// </summary>
    [Fact]
    public void With_own_writes_read_back_and_used() => Check(seed: 26, tests: 2000, maxRefused: 760, TemplateLitmus.Generate);

    /// <param name="maxRefused">Tests the explorer may refuse (LitmusLimits): a bound, so that refusing more does not pass unnoticed.</param>
    static void Check(int seed, int tests, int maxRefused, Func<Random, RandomCase> generate)
    {
        var random = new Random(seed);
        var failures = new List<string>();
        int refused = 0;
        for (int n = 0; n < tests; n++)
        {
            var c = generate(random);
            var (text, found, incomplete) = c.Explore($"cat{n}");
            if (found is null) { refused++; continue; }
            if (incomplete is not null) { failures.Add($"test {n}: search incomplete ({incomplete})\n{text}"); continue; }
            var allowed = Aarch64Cat.Finals(c);
            var missing = allowed.Where(s => !found.Contains(s)).Order().ToList();
            var extra = found.Where(s => !allowed.Contains(s)).Order().ToList();
            if (missing.Count > 0)
                failures.Add($"test {n}: {missing.Count} final state(s) the cat allows are missing, such as\n  {missing[0]}\n{text}");
            if (extra.Count > 0)
                failures.Add($"test {n}: {extra.Count} final state(s) the cat forbids are reached, such as\n  {extra[0]}\n{text}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} disagreements in {tests} tests:\n\n{string.Join("\n", failures.Take(5))}");
        Assert.True(refused <= maxRefused, $"{refused} of {tests} tests refused, more than {maxRefused}");
    }
}
