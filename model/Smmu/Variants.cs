using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>A switch of <see cref="Variant"/>: its name, allowed values, and how to apply one.</summary>
public sealed record VariantSwitch(string Name, string Description, string[] Values, Func<Variant, string> Get, Func<Variant, string, Variant> Set);

/// <summary>Named presets and the switch table that <c>--set NAME=VALUE</c> uses.</summary>
public static class Variants
{
    static VariantSwitch EnumSwitch<T>(string name, string description, Func<Variant, T> get, Func<Variant, T, Variant> set) where T : struct, Enum =>
        new(name, description, Enum.GetValues<T>().Select(e => Naming.Kebab(e)).ToArray(), v => Naming.Kebab(get(v)),
            (v, s) => set(v, Enum.GetValues<T>().First(e => Naming.Kebab(e) == s)));

    static VariantSwitch BoolSwitch(string name, string description, Func<Variant, bool> get, Func<Variant, bool, Variant> set) =>
        new(name, description, ["on", "off"], v => get(v) ? "on" : "off", (v, s) => set(v, s == "on"));

    public static IReadOnlyList<VariantSwitch> Switches { get; } =
    [
        EnumSwitch("stop-gate", "where submit checks STOP: in the CAS loop (v8, §3.3), one read before the loop, or no gate (mainline)",
            v => v.StopGate, (v, x) => v with { StopGate = x }),
        EnumSwitch("elide-recheck", "on seeing STOP: elide at once, or dma_mb and read prod again (the reviewer's proposal, §0.12), or read it again with no barrier",
            v => v.ElideRecheck, (v, x) => v with { ElideRecheck = x }),
        BoolSwitch("ordered-stop-set", "suspend sets STOP with a fully ordered fetch_or instead of the relaxed one (§3.4)",
            v => v.OrderedStopSet, (v, x) => v with { OrderedStopSet = x }),
        EnumSwitch("suspend-order", "SMMUEN=0 then STOP (v8), or STOP first (§6)",
            v => v.SuspendOrder, (v, x) => v with { SuspendOrder = x }),
        EnumSwitch("resume-barrier", "barrier before CR0 |= SMMUEN on resume (§0.10, open question §5.4); smp-mb and dma-mb are both a full barrier of this CPU here, so they give the same answer: whether DMB ISH orders the later Device write the SMMU sees is not modelled (docs/model.md)",
            v => v.ResumeBarrier, (v, x) => v with { ResumeBarrier = x }),
        BoolSwitch("reset-invalidate", "device reset issues CFGI_ALL+SYNC and TLBI_NSNH_ALL+SYNC (§2.8 step 7)",
            v => v.ResetInvalidate, (v, x) => v with { ResetInvalidate = x }),
        BoolSwitch("inc-keeps-stop", "queue_inc_prod_n keeps STOP (v8) or drops it like mainline (§2.2, §3.3)",
            v => v.IncKeepsStop, (v, x) => v with { IncKeepsStop = x }),
        EnumSwitch("drain", "suspend drains by polling hardware CONS up to the target, or by a CMD_SYNC (§3.6, §5.5)",
            v => v.Drain, (v, x) => v with { Drain = x }),
        BoolSwitch("cons-writeback", "suspend writes hardware CONS back into llq.cons; off leaves it stale for reset (§5.5)",
            v => v.ConsWriteback, (v, x) => v with { ConsWriteback = x }),
        EnumSwitch("early-elide", "v8's arm_smmu_cmdq_can_elide STOP check at the invalidation call site (a plain READ_ONCE, v8), none (v7's reviewers asked to drop it), or with a dma_mb re-check (§3.5)",
            v => v.EarlyElide, (v, x) => v with { EarlyElide = x }),
        EnumSwitch("cons-advance", "the SMMU moves CONS after a command completes (QEMU), when it is fetched (gem5), or whenever SMMUv3 allows: past a command once it was read, past a CMD_SYNC once every earlier command took effect, with commands read ahead and taking effect in any order (§6)",
            v => v.ConsAdvance, (v, x) => v with { ConsAdvance = x }),
        EnumSwitch("walker", "page-table walker coherent with the CPUs, or not (PTE line cleaned, ending in a full barrier) (§6)",
            v => v.Walker, (v, x) => v with { Walker = x }),
        EnumSwitch("inv-barrier", "a full barrier between the unmap's PTE store and its invalidation: none (Linux 6.18's arm_smmu_tlb_inv_range_domain), the smp_mb that begins arm_smmu_domain_inv_range since the 2026 invalidation-array series (queued for Linux 7.1), or that smp_mb after the early can-elide check (where v8 puts that check is not known) (§2.10)",
            v => v.InvBarrier, (v, x) => v with { InvBarrier = x }),
        BoolSwitch("mask-flags", "v8's CMDQ_PROD_IDX_MASK strips flag bits from owner_prod and the PROD register (§3.4)",
            v => v.MaskFlags, (v, x) => v with { MaskFlags = x }),
        BoolSwitch("stop-check-after-full-wait", "STOP is also checked after poll_until_not_full re-reads prod (§6, last bullet)",
            v => v.StopCheckAfterFullWait, (v, x) => v with { StopCheckAfterFullWait = x }),
        EnumSwitch("sync-mode", "CMD_SYNC completion polled in its MSI slot or through the CONS register (§2.5)",
            v => v.SyncMode, (v, x) => v with { SyncMode = x }),
        EnumSwitch("cons-read", "the CONS read of the CMD_SYNC wait (sync-mode=cons): readl as mainline, whose dma_rmb orders the tryunlock's lock read after it, or readl_relaxed (§4.2)",
            v => v.ConsRead, (v, x) => v with { ConsRead = x }),
        EnumSwitch("loads", "a CPU's plain load reads the newest write (in-order: stronger than Armv8, fast), or any write Armv8 lets it read (armv8: older ones while no barrier, acquire or coherence forbids it; docs/model.md)",
            v => v.Loads, (v, x) => v with { Loads = x }),
        EnumSwitch("pm-core-order", "between runtime suspend and resume: nothing (the callbacks back to back), or the runtime-PM core's dev->power.lock handoff (release then acquire), which orders all of suspend before resume",
            v => v.PmCoreOrder, (v, x) => v with { PmCoreOrder = x }),
        EnumSwitch("valid-barrier", "the dma_wmb that puts the command stores before the valid bits (§2.3 step 3, §4.2), or none",
            v => v.ValidBarrier, (v, x) => v with { ValidBarrier = x }),
        EnumSwitch("owner-prod-store", "the owner's atomic_set_release(owner_prod) after the PROD doorbell (§2.3 step 4e), or a relaxed store",
            v => v.OwnerProdStore, (v, x) => v with { OwnerProdStore = x }),
        EnumSwitch("shared-unlock", "the CMD_SYNC waiter's atomic_dec_return_release of the lock (§2.6), or a relaxed decrement",
            v => v.SharedUnlock, (v, x) => v with { SharedUnlock = x }),
        EnumSwitch("exclusive-unlock", "the full-queue refresher's atomic_fetch_andnot_release of the lock (§2.6), or a relaxed and-not",
            v => v.ExclusiveUnlock, (v, x) => v with { ExclusiveUnlock = x }),
        EnumSwitch("quiesce-order", "the suspend's software quiesce reads the lock with relaxed polls only, or after an smp_mb that orders it after the drain's polls (§3.2 (e); its code is not in the sources)",
            v => v.QuiesceOrder, (v, x) => v with { QuiesceOrder = x }),
        EnumSwitch("owner-prod-spin", "loads=armv8: the owner's wait for owner_prod reads the newest write (exact while the queue never laps twice), or any write Arm lets a relaxed spin read, the same value two laps back included (docs/model.md)",
            v => v.OwnerProdSpin, (v, x) => v with { OwnerProdSpin = x }),
        EnumSwitch("rmw-write", "loads=armv8: a returning RMW (cmpxchg, fetch_or, fetch_andnot, fetch_inc, all relaxed) writes with its read, so the CPU's later stores follow that write, or later on its own, as Arm allows (docs/model.md)",
            v => v.RmwWrite, (v, x) => v with { RmwWrite = x }),
        EnumSwitch("off-reads", "what a read of an SMMU register returns while the SMMU is powered off: the value it held, or 0 (no fact found; the full-queue refresh reads CONS there)",
            v => v.OffReads, (v, x) => v with { OffReads = x }),
        EnumSwitch("owner-prod-compare", "the owner's wait for owner_prod compares indices (flags masked on both sides), or whole 32-bit words as mainline's VAL == llq.prod does; with v8's masked owner_prod a reservation made while STOP is set (drain=sync, stop-gate=outside) then never matches (§3.4; v8's compare is not in the sources)",
            v => v.OwnerProdCompare, (v, x) => v with { OwnerProdCompare = x }),
        EnumSwitch("flush-compare", "the suspend's flush waits for owner_prod to equal the target, as mainline's owner hand-off compares, or to reach it (at or past it in queue order); an owner that reserved past the gate publishes beyond the target, which only the second ends (§0.9; v8's code for it is not in the sources)",
            v => v.FlushCompare, (v, x) => v with { FlushCompare = x }),
        EnumSwitch("msi-power-off", "a CMD_SYNC's MSI write lands even if the SMMU is powered off right after the CMD_SYNC completed, or it may be lost with the SMMU's other work in flight (SMMUv3 §6.3.9.3: CMDQEN=0 does not guarantee an outstanding MSI completed; power-down is not stated)",
            v => v.MsiPowerOff, (v, x) => v with { MsiPowerOff = x }),
    ];

    /// <summary>Each preset is as-posted plus the overrides that give it its name (protocol.md §6).</summary>
    public static IReadOnlyList<(string Name, string Description, string[] Overrides)> Presets { get; } =
    [
        ("as-posted", "v8 as posted: STOP read by the early can-elide helper and in the CAS loop, no barrier on elide, relaxed fetch_or, smp_mb before SMMUEN", []),
        ("recheck-mb", "the reviewer's proposal at both of v8's STOP reads: on STOP, dma_mb and read prod again", ["elide-recheck=dma-mb", "early-elide=mb"]),
        ("ordered-stop", "STOP set with a fully ordered fetch_or on suspend", ["ordered-stop-set=on"]),
        ("stop-before-disable", "STOP set before SMMUEN=0", ["suspend-order=stop-then-disable"]),
        ("no-resume-mb", "no barrier before SMMUEN=1 on resume", ["resume-barrier=none"]),
        ("no-reset-invalidate", "no CFGI/TLBI on resume", ["reset-invalidate=off"]),
        ("gate-outside-cas", "STOP read once before the reservation loop", ["stop-gate=outside"]),
        ("inc-drops-stop", "queue_inc_prod_n as in mainline, dropping STOP", ["inc-keeps-stop=off"]),
        ("drain-by-sync", "drain by issuing a CMD_SYNC instead of polling CONS", ["drain=sync"]),
        ("stale-cons-on-resume", "no software cons write-back before suspend", ["cons-writeback=off"]),
        ("no-early-elide", "no early can-elide helper: STOP read in the CAS loop only", ["early-elide=off"]),
        ("early-elide-mb", "the early can-elide check with a dma_mb re-check, the CAS loop's without", ["early-elide=mb"]),
        ("cons-at-fetch", "the SMMU advances CONS when it fetches a command", ["cons-advance=fetch"]),
        ("noncoherent-walker", "page-table walker not coherent: the PTE store is cleaned to memory, and CMD_SYNC completion polled on CONS", ["walker=non-coherent", "sync-mode=cons"]),
        ("unmasked-flags", "flag bits not masked out of owner_prod and PROD", ["mask-flags=off"]),
        ("stop-after-full-wait", "STOP re-checked after the full-queue wait re-reads prod", ["stop-check-after-full-wait=on"]),
        ("no-gate", "mainline before the patch: no STOP gate at all", ["stop-gate=none", "early-elide=off"]),
    ];

    /// <summary>Builds a variant from a preset name and NAME=VALUE overrides; throws <see cref="ArgumentException"/> with the reason.</summary>
    public static Variant Build(string preset, IEnumerable<string> overrides)
    {
        var p = Presets.FirstOrDefault(x => x.Name == preset);
        if (p.Name is null)
            throw new ArgumentException($"unknown variant '{preset}'; presets: {string.Join(", ", Presets.Select(x => x.Name))}");
        var v = Variant.AsPosted with { Preset = preset };
        foreach (var o in p.Overrides) v = Apply(v, o);
        foreach (var o in overrides) v = Apply(v, o);
        // A --set that takes back a setting the preset is named for would leave its name on a variant that is not it
        // (recheck-mb with elide-recheck=none searched early-elide-mb, under recheck-mb's name): it is named after the preset it
        // now is, or as-posted, whose switches Describe lists.
        if (p.Overrides.Any(o => !Holds(v, o)))
            v = v with { Preset = Presets.Select(x => x.Name).FirstOrDefault(x => x != preset && Same(Build(x, []), v)) ?? "as-posted" };
        // One feature bit, ARM_SMMU_FEAT_COHERENCY, makes the walk coherent and is needed for MSI polling
        // (arm_smmu_device_hw_probe, arm_smmu_domain_finalise; protocol.md §2.5): the driver never pairs the two.
        if (v.Walker == Walker.NonCoherent && v.SyncMode == SyncMode.Msi)
            throw new ArgumentException("walker=non-coherent needs sync-mode=cons: the driver polls a CMD_SYNC's MSI only on a coherent SMMU (protocol.md §2.5); add --set sync-mode=cons");
        return v;
    }

    /// <summary>True when <paramref name="v"/> has the setting NAME=VALUE <paramref name="assignment"/> names.</summary>
    static bool Holds(Variant v, string assignment)
    {
        int eq = assignment.IndexOf('=');
        return Switches.First(s => s.Name == assignment[..eq]).Get(v) == assignment[(eq + 1)..];
    }

    static bool Same(Variant a, Variant b) => AllSettings(a).SequenceEqual(AllSettings(b));

    public static Variant Apply(Variant v, string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0)
            throw new ArgumentException($"'{assignment}': expected NAME=VALUE");
        var name = assignment[..eq].Trim();
        var value = assignment[(eq + 1)..].Trim();
        var sw = Switches.FirstOrDefault(s => s.Name == name)
            ?? throw new ArgumentException($"'{assignment}': unknown switch '{name}'; switches: {string.Join(", ", Switches.Select(s => s.Name))}");
        if (!sw.Values.Contains(value))
            throw new ArgumentException($"'{assignment}': switch '{name}' takes {string.Join("|", sw.Values)}");
        return sw.Set(v, value);
    }

    /// <summary>The switches whose value differs from as-posted, as NAME=VALUE.</summary>
    public static IEnumerable<string> Describe(Variant v) =>
        Switches.Where(s => s.Get(v) != s.Get(Variant.AsPosted)).Select(s => $"{s.Name}={s.Get(v)}");

    /// <summary>
    /// The switches whose value differs from <paramref name="v"/>'s own preset, as NAME=VALUE in the table's order: what
    /// --set changed, which the preset's name alone does not say.
    /// </summary>
    public static IEnumerable<string> BeyondPreset(Variant v)
    {
        var preset = Build(v.Preset, []);
        return Switches.Where(s => s.Get(v) != s.Get(preset)).Select(s => $"{s.Name}={s.Get(v)}");
    }

    /// <summary>Switches that act only under another switch's value, as their descriptions say: NAME and the NAME=VALUE it needs.</summary>
    static readonly (string Name, string Needs)[] Prerequisites =
    [
        ("cons-read", "sync-mode=cons"),
        ("owner-prod-spin", "loads=armv8"),
        ("rmw-write", "loads=armv8"),
    ];

    /// <summary>
    /// The NAME=VALUE that <paramref name="assignment"/> needs and <paramref name="v"/> lacks, so that setting it away from
    /// as-posted's value changes nothing there; null when it acts (or sets as-posted's value, which changes nothing anyway).
    /// </summary>
    public static string? Idle(Variant v, string assignment)
    {
        int eq = assignment.IndexOf('=');
        string name = assignment[..eq].Trim(), value = assignment[(eq + 1)..].Trim();
        if (Switches.First(s => s.Name == name).Get(Variant.AsPosted) == value) return null;
        foreach (var (n, needs) in Prerequisites)
            if (n == name && !Holds(v, needs)) return needs;
        return null;
    }

    /// <summary>Every switch as NAME=VALUE: what a counterexample records so replay needs no preset table.</summary>
    public static IEnumerable<string> AllSettings(Variant v) => Switches.Select(s => $"{s.Name}={s.Get(v)}");
}
