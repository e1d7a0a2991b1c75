namespace SmmuActors.Model.Sim;

/// <summary>Every message the interconnect carries. Requests name the access; replies carry the value back.</summary>
public enum MessageKind : byte
{
    Start,          // engine -> thread: begin the program
    Timer,          // thread/SMMU -> itself: idle time, a timeout, or command execution latency
    Load,           // -> memory: READ_ONCE / plain load; reply LoadReply
    Store,          // -> memory: plain store (posted)
    StoreCons,      // -> memory: WRITE_ONCE(llq.cons) (high half of the llq word)
    StoreMsi,       // SMMU -> memory: MSI write of 0 to the first 32-bit word of a CMD_SYNC slot
    Cas,            // -> memory: 64-bit cmpxchg; reply RmwReply(old)
    FetchOr,        // -> memory: fetch_or; reply RmwReply(old)
    FetchAndNot,    // -> memory: fetch_andnot; reply RmwReply(old)
    FetchAdd,       // -> memory: fetch_add (lock inc/dec); reply RmwReply(old)
    AndNot,         // -> memory: posted and-not (no value returned)
    Add,            // -> memory: posted add (no value returned)
    Xor,            // -> memory: posted xor (valid map)
    Wait,           // -> memory/SMMU: spin until a predicate holds; reply WaitReply(value)
    Barrier,        // -> memory: completes once every earlier store of the sender is visible
    // 15 and 16 were engine markers (store fence, timer cancel), now Outbox control calls; the numbers are
    // kept because trace hashes include the kind.
    MmioWrite = 17, // CPU -> SMMU register write
    MmioRead,       // CPU -> SMMU register read; reply LoadReply
    LoadReply,
    RmwReply,
    WaitReply,
    BarrierReply,
    Swap,           // -> memory: SWP; reply RmwReply(old)
    ReadChoice,     // memory -> memory: which of the writes a load may read it reads (B = the loading thread); alternatives
    RmwWrite,       // memory -> memory, as the CPU: the write of that CPU's RMW, performed after its read (rmw-write=split; A = value)
    PteWritten,     // memory -> SMMU: a valid PTE landed at Loc; the walker may walk it from then on, while SMMUEN=1
    ExclusiveOutcome, // litmus thread -> itself: whether its store-exclusive writes (A = 0) or fails (A = 1); alternatives
    Resume,         // litmus thread -> itself: go on after a branch back, so that each round of a loop is a state of the search
    CasSource,      // litmus thread -> itself: whether what its CAS returns takes its data from Rs (A = 0) or from its read (A = 1); alternatives
    ForwardChoice,  // litmus thread -> itself: whether a load held back behind a store takes that store's value once known (A = 1) or goes to memory after it (A = 0); alternatives
    CasFails,       // litmus thread -> itself: whether an acquire (after a CASL) or any access (after a CASAL) waits for the held-back CAS's outcome (A = 0) or goes ahead, the CAS to fail without a write (A = 1); alternatives
    DeviceMark,     // SMMU -> memory: the SMMU answered thread B's read that a fence follows now (Message.Marked); delivered before anything else can happen
}

/// <summary>How the strategy may choose a message's delay.</summary>
public enum DelayClass : byte
{
    /// <summary>A request the sender waits for (load, RMW, wait, barrier).</summary>
    Request,
    /// <summary>A write that becomes visible later: plain store, posted RMW, MMIO write, MSI write. The reordering source.</summary>
    Posted,
    /// <summary>The SMMU reading memory: command fetch, table walk.</summary>
    DeviceRead,
    /// <summary>A reply to a request.</summary>
    Reply,
    /// <summary>Exactly the delay the sender asked for (timers).</summary>
    Fixed,
    /// <summary>SMMU command execution latency.</summary>
    Execution,
    /// <summary>A timeout (CMD_SYNC's 1 s, the drain's, the full-queue poll's): exactly the delay asked for when
    /// time is kept; in the untimed search it may fire only when nothing else can happen.</summary>
    Timeout,
    /// <summary>Untimed only: a timeout that was due when another fired (nothing else could happen then, so its time
    /// has passed too); it may fire at any later step, like any delivery (<see cref="Fabric.Take"/>).</summary>
    Expired,
}
