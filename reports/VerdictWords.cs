using SmmuActors.Model.Exploration;
using SmmuActors.Model.Sim;

namespace SmmuActors.Reports;

/// <summary>
/// The answer in capitals, the first thing a reviewer reads: VIOLATED (with the kinds), HOLDS (an
/// exhaustive search finished clean under Armv8's rules), NO VIOLATION UNDER IN-ORDER LOADS (the same under
/// loads stronger than the hardware's, so no proof; likewise NO VIOLATION WITH OWNER_PROD WAITS ON THE NEWEST
/// WRITE, WITH WORKLOAD LOADS ORDERED BEFORE LATER DRIVER OPS and WITH VALID-MAP POLLS ON THE NEWEST WRITE; under an SMMU stronger than SMMUv3, NO VIOLATION WITH AN SMMU STRICTER
/// THAN SMMUv3, NO VIOLATION WITH MSIs THAT SURVIVE A POWER-OFF and NO VIOLATION WITH SMMU REGISTER VALUES NO FACT GIVES; and last, with only the RMWs' writes tied to their
/// reads, NO VIOLATION WITH RMW WRITES LANDING WITH THEIR READS), NO VIOLATION FOUND (sampled, so no proof), or INCOMPLETE
/// (an exhaustive search stopped at a bound, so neither proof nor counterexample; or any exploration
/// stopped by the user, whatever it had found: "INCOMPLETE: cancelled" with how far it got). The console and the HTML
/// report both say it, so it lives beside the report.
/// </summary>
public static class VerdictWords
{
    public const string Cancelled = SearchLimits.Cancelled;

    /// <summary>A clean exhaustive search whose loads read only the newest write: stronger than Armv8, so a clean answer there is not a proof.</summary>
    public const string InOrderOnly = "NO VIOLATION UNDER IN-ORDER LOADS (stronger than Armv8, not a proof: --set loads=armv8 for one)";

    /// <summary>A clean armv8 search whose owner_prod waits read only the newest write on a workload where owner_prod may recur.</summary>
    public const string OwnerProdNewestOnly =
        "NO VIOLATION WITH OWNER_PROD WAITS ON THE NEWEST WRITE (the queue may lap twice, so stronger than Armv8, not a proof: --set owner-prod-spin=armv8 for one)";

    /// <summary>A clean armv8 search of a workload where a driver op waits for an earlier `load` op that Arm leaves unordered with it.</summary>
    public const string WorkloadLoadsWaitOnly =
        "NO VIOLATION WITH WORKLOAD LOADS ORDERED BEFORE LATER DRIVER OPS (a load op is followed by a driver op with no smp_mb or dma_mb between, which waits for the load where Armv8 may not: not a proof)";

    /// <summary>A clean armv8 search whose owner polled a valid map of several words on the newest write only.</summary>
    public const string ValidMapNewestOnly =
        "NO VIOLATION WITH VALID-MAP POLLS ON THE NEWEST WRITE (the queue has more than 64 entries, so the owner may poll a word it never wrote, where Armv8 lets it read an older lap: not a proof; docs/model.md, Known limits)";

    /// <summary>A clean search whose SMMU moved CONS only past commands that took effect, or ran one command at a time.</summary>
    public const string StricterSmmuOnly =
        "NO VIOLATION WITH AN SMMU STRICTER THAN SMMUv3 (CONS passed commands only once they took effect, or the SMMU ran one at a time: not a proof: --set cons-advance=any for one)";

    /// <summary>A clean search of a workload that suspends, in which a CMD_SYNC's MSI not yet sent still landed after a power-off.</summary>
    public const string MsiSurvivesOnly =
        "NO VIOLATION WITH MSIs THAT SURVIVE A POWER-OFF (SMMUv3 leaves open what a power-off does to a CMD_SYNC's MSI not yet sent: not a proof: --set msi-power-off=lost for one)";

    /// <summary>A clean search in which a CPU may have read an SMMU register whose value no fact gives, so off-reads chose it.</summary>
    public const string UnknownRegisterOnly =
        "NO VIOLATION WITH SMMU REGISTER VALUES NO FACT GIVES (a CPU may have read CONS of a powered-off SMMU, or after power-on before the reset wrote it, which SMMUv3 leaves UNKNOWN, and off-reads chose the value: not a proof)";

    /// <summary>A clean armv8 search whose CPUs' returning RMWs wrote with their reads: their later stores followed those writes.</summary>
    public const string RmwWithReadOnly =
        "NO VIOLATION WITH RMW WRITES LANDING WITH THEIR READS (each relaxed cmpxchg or fetch_op wrote as it read, so the CPU's later stores became visible after that write, which Arm does not require: not a proof: --set rmw-write=split for one)";

    /// <summary>A clean search of a workload that suspends, whose suspend copied CONS into llq.cons, a step no source of v8 shows.</summary>
    public const string ConsWritebackOnly =
        "NO VIOLATION WITH A CONS WRITE-BACK NO SOURCE SHOWS (the suspend copied the CONS register into llq.cons before the power-off, which v8's code as quoted does not: not a proof: --set cons-writeback=off for one)";

    public static string Of(ExploreSummary s) =>
        s.IncompleteReason == Cancelled ? CancelledAfter(s)
        : s.ViolationsByKind.Count > 0 ? Violated(s.ViolationsByKind.Keys)
        : s.Strategy != Naming.Kebab(StrategyKind.Exhaustive) ? NoneFound(s.Strategy, s.Runs, s.Truncated)
        : s.Exhausted ? (s.LoadsInOrder ? InOrderOnly : s.OwnerProdWaitsNewest ? OwnerProdNewestOnly : s.WorkloadLoadsWait ? WorkloadLoadsWaitOnly : s.ValidMapPollNewest ? ValidMapNewestOnly
            : s.SmmuStricter ? StricterSmmuOnly : s.MsiSurvivesPowerOff ? MsiSurvivesOnly : s.UnknownRegisterReads ? UnknownRegisterOnly : s.RmwWritesWithRead ? RmwWithReadOnly
                : s.ConsWritebackAssumed ? ConsWritebackOnly : "HOLDS")
        : $"INCOMPLETE (stopped by {s.IncompleteReason})";

    /// <summary>One execution (run or replay): it either shows a violation or is one sample; one a stop cut short is neither.</summary>
    public static string Of(RunResult r, string how) =>
        r.Pruned ? CutAfter(r)
        : r.Violations.Count > 0 ? Violated(r.Violations.Select(v => v.KindName)) : NoneFound(how, 1, r.Truncated ? 1 : 0);

    /// <summary>A run or replay that a stop ended before its end (the only pruner of a single run), with how far it got.</summary>
    static string CutAfter(RunResult r) => CancelledAfter(Plural.Count(r.Steps, "step"), r.Violations.Select(v => v.KindName).Distinct());

    /// <summary>The console colour of a verdict: red for a violation, green for a proof, yellow for anything weaker.</summary>
    public static string Color(string verdict) =>
        verdict.StartsWith("VIOLATED") ? "red" : verdict == "HOLDS" ? "green" : "yellow";

    static string CancelledAfter(ExploreSummary s)
    {
        string done = s.Strategy == Naming.Kebab(StrategyKind.Exhaustive) ? $"{Plural.Count(s.StatesExplored, "state")} searched" : $"{Plural.Count(s.Runs, "run")} done";
        return CancelledAfter(done, s.ViolationsByKind.Keys);
    }

    /// <summary>"INCOMPLETE: cancelled after DONE", and the kinds found so far, if any, in ordinal order.</summary>
    static string CancelledAfter(string done, IEnumerable<string> kinds)
    {
        string found = string.Join(", ", kinds.Order(StringComparer.Ordinal));
        return $"INCOMPLETE: {Cancelled} after {done}{(found.Length > 0 ? $", found {found}" : "")}";
    }

    /// <summary>A finished campaign's verdict, as explore words a random one's: its kinds, or clean over its runs, or cancelled.</summary>
    public static string OfCampaign(IReadOnlyCollection<string> kinds, long done, long total, bool cancelled, long truncated) =>
        cancelled ? $"INCOMPLETE: cancelled after {done:N0} of {Plural.Count(total, "run")} done{(kinds.Count > 0 ? $", found {string.Join(", ", kinds.Order(StringComparer.Ordinal))}" : "")}"
        : kinds.Count > 0 ? Violated(kinds) : NoneFound(Naming.Kebab(StrategyKind.Random), done, truncated);

    /// <summary>
    /// Clean runs; those maxSteps cut were not judged for liveness, so the headline counts them: a campaign every run of
    /// which was cut read as clean as one that judged them all.
    /// </summary>
    static string NoneFound(string how, long runs, long truncated) =>
        $"NO VIOLATION FOUND ({how}, {Plural.Count(runs, "run")}{(truncated > 0 ? $", {truncated:N0} cut by maxSteps" : "")})";

    static string Violated(IEnumerable<string> kinds) => $"VIOLATED ({string.Join(", ", kinds.Distinct().Order(StringComparer.Ordinal))})";
}
