using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// Where each shared word lives (protocol.md §0.2): the llq word (prod low 32, cons high 32),
/// owner_prod, the lock, the valid map (one bit per slot, 64 per word), the ring slots,
/// one PTE per IOVA, and litmus variables. Actor 0 is memory, 1 the SMMU, 2.. the threads.
/// </summary>
public sealed class Layout
{
    public const byte MemoryActor = 0;
    public const byte SmmuActor = 1;
    public const byte FirstThread = 2;

    public const int Llq = 0;
    public const int OwnerProd = 1;
    public const int Lock = 2;
    public const int ValidMapBase = 3;

    public ProdWord Q { get; }
    public int ValidWords { get; }
    public int SlotBase { get; }
    public int PteBase { get; }
    public int VarBase { get; }
    public int Iovas { get; }
    public int Vars { get; }
    public int MemoryLocations { get; }
    public int Threads { get; }
    public int Actors => FirstThread + Threads;

    public Layout(int shift, int iovas, int vars, int threads)
    {
        Q = new ProdWord(shift);
        ValidWords = (int)Math.Max(1, Q.Entries / 64);
        SlotBase = ValidMapBase + ValidWords;
        PteBase = SlotBase + (int)Q.Entries;
        VarBase = PteBase + iovas;
        Iovas = iovas;
        Vars = vars;
        Threads = threads;
        MemoryLocations = VarBase + vars;
    }

    public int Slot(uint prod) => SlotBase + (int)Q.Idx(prod);
    public int Pte(int iova) => PteBase + iova;
    public int Var(int v) => VarBase + v;

    /// <summary>
    /// Whether a CPU may spin on the word (atomic_cond_read, the MSI poll): llq (the full-queue wait), owner_prod, the
    /// lock, the valid map and the ring slots (a CMD_SYNC's MSI word).
    /// </summary>
    public bool SpinTarget(int loc) => loc is Llq or OwnerProd or Lock || loc >= ValidMapBase && loc < PteBase;

    /// <summary>
    /// Whether a CPU spins on the word only after storing to it itself: a ring slot, whose MSI word a CMD_SYNC's issuer
    /// polls after writing that CMD_SYNC there (§2.3 steps 2 and 5), and the valid map when it is one word, which only
    /// an owner polls, after setting its own valid bits there (step 3; with more words it polls other CPUs' words too).
    /// </summary>
    public bool SpunOnlyAfterOwnStore(int loc) => loc >= SlotBase && loc < PteBase || ValidWords == 1 && loc == ValidMapBase;

    /// <summary>
    /// Whether a CPU waits on the word only after a read-modify-write of llq that commits it, one wait per such write:
    /// owner_prod, which a CPU waits on as the owner of the batch its compare-and-swap of llq just reserved (§2.3 steps 1
    /// and 4a), or in the suspend's command flush right after its fetch_or set STOP (§3.2 steps b and c).
    /// </summary>
    public bool SpunOnlyAfterLlqCommit(int loc) => loc == OwnerProd;

    /// <summary>
    /// The locations a CPU reads with a plain load (READ_ONCE of llq, the tryunlock's lock read, litmus
    /// variables): these keep the older writes such a load may still read (and owner_prod too under
    /// owner-prod-spin=armv8). Other spins, read-modify-writes and the SMMU read the newest write.
    /// </summary>
    public bool PlainLoadTarget(int loc) => loc == Llq || loc == Lock || loc >= VarBase && loc < VarBase + Vars;

    /// <summary>
    /// Whether memory keeps the location's older writes under loads=armv8 (its plain-load targets, and owner_prod when
    /// its wait may read an older write): only these writes' stamps are ever compared with a floor.
    /// </summary>
    public bool KeepsOlderWrites(int loc, bool ownerProdHistory) => PlainLoadTarget(loc) || ownerProdHistory && loc == OwnerProd;

    public string LocationName(int loc, IReadOnlyList<string> iovaNames, IReadOnlyList<string> varNames) => loc switch
    {
        Llq => "llq",
        OwnerProd => "owner_prod",
        Lock => "lock",
        _ when loc < SlotBase => $"valid_map[{loc - ValidMapBase}]",
        _ when loc < PteBase => $"slot[{loc - SlotBase}]",
        _ when loc < VarBase => $"pte[{iovaNames[loc - PteBase]}]",
        _ => varNames[loc - VarBase],
    };

    /// <summary>The location class pins match on ("pte", "slot", "llq", ...).</summary>
    public string LocationClass(int loc) => loc switch
    {
        Llq => "llq",
        OwnerProd => "owner_prod",
        Lock => "lock",
        _ when loc < SlotBase => "valid_map",
        _ when loc < PteBase => "slot",
        _ when loc < VarBase => "pte",
        _ => "var",
    };
}

/// <summary>SMMU registers (§0.2): the MMIO locations of actor 1.</summary>
public enum SmmuRegister
{
    Prod = 0, Cons = 1, Cr0 = 2, Cr0Ack = 3, Gbpa = 4,
    /// <summary>Not an architectural register: the power domain the PM switches.</summary>
    Power = 5,
}

public static class Cr0
{
    public const long SmmuEn = 1;
    public const long CmdqEn = 2;
}
