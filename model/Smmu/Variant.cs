using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>Where the STOP flag gates submission (protocol.md §0.3, §6).</summary>
public enum StopGate { Cas, Outside, None }
public enum ElideRecheck { None, DmaMb, Plain }
public enum ResumeBarrier { SmpMb, DmaMb, None }
public enum SuspendOrder { DisableThenStop, StopThenDisable }
public enum DrainMode { ConsPoll, Sync }
public enum EarlyElide { Off, Plain, Mb }
/// <summary>
/// When the SMMU's CONS passes a command (protocol.md §6, ninth bullet): once it took effect, once it was read (one command
/// at a time), or at any moment SMMUv3 allows, with commands read ahead and taking effect in any order up to the next
/// CMD_SYNC (§4.1.4, §4.7.3, §4.8, §6.3.9.3).
/// </summary>
public enum ConsAdvance { Completion, Fetch, Any }
public enum Walker { Coherent, NonCoherent }
public enum InvBarrier { None, SmpMb, SmpMbAfterEarlyCheck }
public enum SyncMode { Msi, Cons }
public enum ConsRead { Readl, ReadlRelaxed }
public enum Loads { InOrder, Armv8 }
public enum PmCoreOrder { None, Lock }
/// <summary>A store the driver makes a release (protocol.md §4.2), or the same store relaxed, to ask whether the release is needed.</summary>
public enum StoreOrder { Release, Relaxed }
public enum ValidBarrier { DmaWmb, None }
/// <summary>How the suspend's software quiesce reads the lock (protocol.md §3.2 (e); the patch's code for it is not in the sources).</summary>
public enum QuiesceOrder { Relaxed, SmpMb }
/// <summary>
/// Under loads=armv8, what the owner's wait for owner_prod (§2.3 step 4a) may read: the newest write only, or, as Arm
/// allows a relaxed spin, any write still readable, an older one two laps back with the awaited value included.
/// </summary>
public enum OwnerProdSpin { Newest, Armv8 }
/// <summary>
/// Under loads=armv8, when a returning RMW of a CPU writes: with its read, so the CPU's later stores become visible
/// after that write, or later, as a write of its own the CPU does not wait for, which is all aarch64.cat asks of a
/// relaxed RMW (docs/model.md, "Known limits").
/// </summary>
public enum RmwWrite { WithRead, Split }
/// <summary>
/// What a CPU's read of an SMMU register returns while the SMMU is powered off: the value the register held, or 0. No
/// fact found says (protocol.md has none on reads of a powered-off device; hardware may also abort them): open, so a
/// switch. The full-queue refresh reads CONS there (docs/model.md, "Known limits").
/// </summary>
public enum OffReads { Kept, Zero }

/// <summary>
/// The owner's wait for owner_prod: index against index (flags masked on both sides), or whole 32-bit words as mainline's
/// atomic_cond_read_relaxed(&amp;owner_prod, VAL == llq.prod) compares them (protocol.md §3.4; v8's compare is not in the sources).
/// </summary>
public enum OwnerProdCompare { Index, Word }

/// <summary>
/// The suspend's flush, waiting for owner_prod to reach the target: equal to it, as mainline's owner hand-off compares
/// (VAL == llq.prod), or at or past it in queue order (protocol.md §0.9 says "reaches"; v8's code for it is not in the sources).
/// </summary>
public enum FlushCompare { Equal, Reached }

/// <summary>
/// A CMD_SYNC's MSI write when the SMMU is powered off after the CMD_SYNC completed: it lands (it had left the SMMU), or
/// it may be lost with the SMMU's other work in flight. SMMUv3 §6.3.9.3 says clearing CMDQEN does not guarantee an
/// outstanding CMD_SYNC MSI has completed, and §4.7.3 lets CONS pass a CMD_SYNC before its MSI is observable; what a
/// power-down does to it is not stated, so it is open.
/// </summary>
public enum MsiPowerOff { Lands, Lost }

/// <summary>
/// One protocol variant: every open fact of protocol.md §5/§6 is an independent switch.
/// Immutable; <see cref="Variants"/> builds it from a preset plus --set overrides.
/// </summary>
public sealed record Variant(
    string Preset,
    StopGate StopGate,
    ElideRecheck ElideRecheck,
    bool OrderedStopSet,
    SuspendOrder SuspendOrder,
    ResumeBarrier ResumeBarrier,
    bool ResetInvalidate,
    bool IncKeepsStop,
    DrainMode Drain,
    bool ConsWriteback,
    EarlyElide EarlyElide,
    ConsAdvance ConsAdvance,
    Walker Walker,
    InvBarrier InvBarrier,
    bool MaskFlags,
    bool StopCheckAfterFullWait,
    SyncMode SyncMode,
    ConsRead ConsRead,
    Loads Loads,
    PmCoreOrder PmCoreOrder,
    ValidBarrier ValidBarrier,
    StoreOrder OwnerProdStore,
    StoreOrder SharedUnlock,
    StoreOrder ExclusiveUnlock,
    QuiesceOrder QuiesceOrder,
    OwnerProdSpin OwnerProdSpin,
    RmwWrite RmwWrite,
    OffReads OffReads,
    OwnerProdCompare OwnerProdCompare,
    FlushCompare FlushCompare,
    MsiPowerOff MsiPowerOff)
{
    /// <summary>v8 as posted (protocol.md §6, first bullet).</summary>
    public static Variant AsPosted { get; } = new(
        Preset: "as-posted",
        StopGate: StopGate.Cas,
        ElideRecheck: ElideRecheck.None,
        OrderedStopSet: false,
        SuspendOrder: SuspendOrder.DisableThenStop,
        ResumeBarrier: ResumeBarrier.SmpMb,
        ResetInvalidate: true,
        IncKeepsStop: true,
        Drain: DrainMode.ConsPoll,
        ConsWriteback: true,
        // v8 reads STOP in arm_smmu_cmdq_can_elide too, a plain READ_ONCE where the invalidation is requested (§3.5).
        EarlyElide: EarlyElide.Plain,
        ConsAdvance: ConsAdvance.Completion,
        Walker: Walker.Coherent,
        InvBarrier: InvBarrier.None,
        MaskFlags: true,
        StopCheckAfterFullWait: false,
        SyncMode: SyncMode.Msi,
        ConsRead: ConsRead.Readl,
        Loads: Loads.InOrder,
        PmCoreOrder: PmCoreOrder.Lock,
        ValidBarrier: ValidBarrier.DmaWmb,
        OwnerProdStore: StoreOrder.Release,
        SharedUnlock: StoreOrder.Release,
        ExclusiveUnlock: StoreOrder.Release,
        QuiesceOrder: QuiesceOrder.Relaxed,
        OwnerProdSpin: OwnerProdSpin.Newest,
        RmwWrite: RmwWrite.WithRead,
        OffReads: OffReads.Kept,
        OwnerProdCompare: OwnerProdCompare.Index,
        FlushCompare: FlushCompare.Equal,
        MsiPowerOff: MsiPowerOff.Lands);
}
