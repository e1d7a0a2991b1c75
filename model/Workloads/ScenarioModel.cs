using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Model.Workloads;

/// <summary>
/// A variant applied to a workload: the layout, the initial memory and TLB, and a factory for each
/// component. Engines build the components wherever they host them (in one process, or one per grain).
/// </summary>
public sealed class ScenarioModel
{
    public Workload Workload { get; }
    public Variant Variant { get; }
    public Layout Layout { get; }
    public ScenarioNames Names { get; }
    readonly long[] _memory;
    readonly long[] _tlb;
    readonly long[] _gen;
    readonly Pin[] _pins;

    public ScenarioModel(Workload workload, Variant variant)
    {
        Workload = workload;
        Variant = variant;
        Names = workload.Names;
        Layout = new Layout(workload.QueueShift, workload.Iovas.Count, workload.Vars.Count, workload.Threads.Count);
        _memory = new long[Layout.MemoryLocations];
        _tlb = new long[workload.Iovas.Count];
        _gen = new long[workload.Iovas.Count];
        for (int i = 0; i < workload.Iovas.Count; i++)
        {
            var io = workload.Iovas[i];
            _gen[i] = io.Mapped ? 1 : 0;
            _memory[Layout.Pte(i)] = io.Mapped ? Pte.Valid(1) : 0;
            _tlb[i] = io.InTlb ? 1 : 0;
        }
        _pins = workload.Pins.Select(p => new Pin((byte)Names.ActorId(p.From), p.Message, p.Nth, p.Delay)).ToArray();
    }

    public int Actors => Layout.Actors;

    /// <summary>
    /// Whether an owner may wait for a value owner_prod held before (the initial one included): its values (index and
    /// wrap bit) recur after two laps, so only if some reservation can start two laps in, which takes more slots in all
    /// than two laps hold. When none can, an owner's wait that reads only the newest write (owner-prod-spin=newest)
    /// misses nothing Arm allows; when one can, it may (docs/model.md).
    /// </summary>
    public bool OwnerProdMayRecur =>
        Workload.Threads.Sum(t => t.Program.Sum(op => (long)DriverThread.MaxSlots(op, Variant))) > 2L * Layout.Q.Entries;

    /// <summary>
    /// Under loads=armv8, the owner's waits read only the newest write while owner_prod may recur: stronger than Armv8,
    /// so a clean search is no proof (owner-prod-spin=armv8 gives one).
    /// </summary>
    public bool OwnerProdWaitsStrongerThanArmv8 =>
        Variant.Loads == Loads.Armv8 && Variant.OwnerProdSpin == OwnerProdSpin.Newest && OwnerProdMayRecur;

    /// <summary>
    /// Under loads=armv8 the owner's poll of the valid map reads only the newest write of each word (Layout keeps no older
    /// writes of the map). That is exact while the map is one 64-bit word: the owner's own XOR of it comes first, and
    /// coherence keeps its poll from reading below that write, below which lie the laps whose parity could fool it. A
    /// queue of more than 64 entries has several words, and the owner may poll one it never wrote, where Arm lets its
    /// relaxed poll read a write from two laps back with the awaited parity: stronger than Armv8, so a clean search is no proof.
    /// </summary>
    public bool ValidMapPollStrongerThanArmv8 => Variant.Loads == Loads.Armv8 && Layout.Q.Entries > 64;

    /// <summary>
    /// CONS passes a command only once it took effect, or the SMMU reads and runs one command at a time
    /// (cons-advance=completion or fetch): stricter than SMMUv3 (§4.1.4, §6.3.9.3), so a clean search is no proof.
    /// </summary>
    public bool SmmuStricterThanSmmuV3 => Variant.ConsAdvance != ConsAdvance.Any;

    /// <summary>Whether some thread of the workload suspends the SMMU.</summary>
    bool Suspends => Workload.Threads.Any(t => t.Program.Any(op => op.Kind == OpKind.Suspend));

    /// <summary>
    /// A CMD_SYNC's MSI that has not left the SMMU still lands after a power-off (msi-power-off=lands), on a workload that
    /// suspends with CMD_SYNCs signalled by MSI: SMMUv3 leaves it open (§6.3.9.3), so a clean search is no proof.
    /// </summary>
    public bool MsiSurvivesPowerOff =>
        Variant.MsiPowerOff == MsiPowerOff.Lands && Variant.SyncMode == SyncMode.Msi
        && Suspends;

    /// <summary>
    /// Under loads=armv8 with rmw-write=with-read, a CPU's returning RMW writes when it reads, so the CPU's later stores
    /// follow that write, where aarch64.cat lets another observer see them first (docs/model.md, "Known limits"): stronger
    /// than Armv8 on any workload with a driver op that makes one (the reservation CAS, the lock's, STOP's fetch_or), so a
    /// clean search is no proof there (rmw-write=split gives one). Map stores a PTE and no more.
    /// </summary>
    public bool RmwWritesStrongerThanArmv8 =>
        Variant.Loads == Loads.Armv8 && Variant.RmwWrite == RmwWrite.WithRead
        && Workload.Threads.Any(t => t.Program.Any(op => op.Kind is OpKind.Unmap or OpKind.Tlbi or OpKind.Sync or OpKind.Suspend or OpKind.Resume));

    /// <summary>
    /// Whether a search that covered <paramref name="coverage"/> (its protocol branches) had a CPU read an SMMU register
    /// whose value no fact gives, which off-reads then chose: any but the power state while powered off, and PROD and
    /// CONS after power-on until resume's reset writes them (UNKNOWN, SMMUv3 §6.3.27, §6.3.28), a read answered or a
    /// poll still parked there when the power changes (<see cref="ProtocolBranch.UnknownRegisterRead"/>, reported by the
    /// SMMU). A clean search where this holds is no proof.
    /// </summary>
    public bool RegisterReadsMayBeUnknown(ulong coverage) => (coverage >> (int)ProtocolBranch.UnknownRegisterRead & 1) != 0;

    /// <summary>
    /// Whether the suspend copies the CONS register into llq.cons before the power-off (cons-writeback=on, the default) on a
    /// workload that suspends: no source shows v8 doing so (protocol.md §5, question 5), and without it resume's reset may
    /// load an old CONS and the SMMU run consumed commands again. A clean search that rests on it is no proof.
    /// </summary>
    public bool ConsWritebackUnsourced => Suspends && Variant.ConsWriteback;

    /// <summary>
    /// Under loads=armv8 a workload's `load` op does not hold its thread (<see cref="DriverThread"/>), but a driver op
    /// (unmap, map, tlbi, sync, suspend, resume) starts only once the thread's loads are answered: its paths are written
    /// for loads that hold the thread. Arm orders a driver op's accesses after an earlier load only where something
    /// between orders them (a full barrier, a release, an acquire, a dependency); a full barrier is the one the flag
    /// counts, so where some `load` is followed by a driver op with no smp_mb or dma_mb between, it takes the model as
    /// stronger than Armv8 there and a clean search as no proof (it may say so where the op's own release orders it).
    /// </summary>
    public bool WorkloadLoadsStrongerThanArmv8 =>
        Variant.Loads == Loads.Armv8 && Workload.Threads.Any(t => LoadBeforeDriverOp(t.Program));

    static bool LoadBeforeDriverOp(IReadOnlyList<Op> program)
    {
        bool loaded = false;
        foreach (var op in program)
        {
            switch (op.Kind)
            {
                case OpKind.Load: loaded = true; break;
                case OpKind.SmpMb or OpKind.DmaMb: loaded = false; break;
                case OpKind.Unmap or OpKind.Map or OpKind.Tlbi or OpKind.Sync or OpKind.Suspend or OpKind.Resume:
                    if (loaded) return true;
                    break;
            }
        }
        return false;
    }

    /// <summary><paramref name="untimed"/>: for the exhaustive search's semantics (a spin's timeout withdraws its parked wait).</summary>
    public IComponent CreateComponent(int actor, bool untimed) => actor switch
    {
        Layout.MemoryActor => new MemoryComponent(Layout, _memory, Variant.Loads == Loads.Armv8, Variant.OwnerProdSpin == OwnerProdSpin.Armv8, Variant.RmwWrite == RmwWrite.Split, untimed),
        Layout.SmmuActor => new SmmuComponent(Layout, Variant.ConsAdvance, _tlb, Variant.OffReads, Variant.MsiPowerOff),
        _ => new DriverThread(Layout, Variant, actor - Layout.FirstThread,
            Workload.Threads[actor - Layout.FirstThread].Program, _gen, Workload.DrainTimeout, untimed),
    };

    public IComponent[] CreateComponents(bool untimed) => Enumerable.Range(0, Actors).Select(a => CreateComponent(a, untimed)).ToArray();

    public Oracle CreateOracle(bool judgeTimeouts = true, bool eachTransition = false) =>
        new(Layout.Q, Workload.Threads.Count, _tlb, Names, judgeTimeouts, eachTransition);

    /// <summary>A fresh execution of this scenario: its fabric with every thread started, and its oracle.</summary>
    public Execution NewExecution(IStrategy strategy, bool recordTrace, bool recordChoices, IRunObserver? observer = null) =>
        new(CreateFabric(strategy, recordTrace, recordChoices), CreateOracle(judgeTimeouts: !strategy.Untimed), Workload.Bounds.MaxSteps, observer);

    /// <summary>
    /// The exhaustive search's initial execution: untimed, and its oracle reports each kind on every transition that shows
    /// it, so the transitions a search finds violating, and its witnesses, do not depend on the order it reached states in.
    /// </summary>
    public Execution NewSearchExecution() =>
        new(CreateFabric(new SearchStrategy(), false, false), CreateOracle(judgeTimeouts: false, eachTransition: true), Workload.Bounds.MaxSteps);

    public Fabric CreateFabric(IStrategy strategy, bool recordTrace, bool recordChoices)
    {
        var layout = Layout;
        var fabric = new Fabric(Actors, strategy, _pins, m => MessageNames.Key(layout, m), recordTrace, recordChoices);
        for (int t = 0; t < Workload.Threads.Count; t++)
            fabric.StartThread((byte)(Layout.FirstThread + t), t, Workload.Threads[t].Start);
        // The SMMU starts enabled: the walker may fill each valid PTE not in the TLB yet, at any moment (§0.8).
        for (int i = 0; i < Workload.Iovas.Count; i++)
            if (Workload.Iovas[i] is { Mapped: true, InTlb: false })
                fabric.Post(Layout.MemoryActor, Layout.SmmuActor, MessageKind.PteWritten, Layout.Pte(i));
        return fabric;
    }
}
