using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>Facts components report as they act; the oracles and the coverage read only these.</summary>
public enum EventKind : byte
{
    ThreadDone,         // A = thread index
    UnmapReturned,      // A = iova, B = generation retired
    Elided,             // A = iova (-1 when not an unmap)
    TlbFill,            // A = iova, B = generation
    TlbInvalidate,      // A = iova, or -1 for all
    SmmuEnable,         // A = 1 on, 0 off
    Committed,          // A = start prod (flags stripped), B = end prod, C = 1 if owner
    SlotWritten,        // A = queue position (IDX|WRP), B = command id
    ValidSet,           // A = start, B = end
    Fetched,            // A = CONS position, B = command id (0 = slot never written)
    Executed,           // A = position, B = command id
    SyncTimeout,        // A = sync position
    DrainTimeout,       // A = drain step (1 flush, 2 CONS, 3 quiesce, 4 the drain's CMD_SYNC, B = its position)
    FlagBitsInRegister, // A = register/location code, B = value written
    OwnerProdBackwards, // A = old, B = new
    Observed,           // A = variable, B = value (litmus loads)
    Branch,             // A = ProtocolBranch
    PowerOff,
    LlqCasDeferred,     // A = CPU: its CAS on llq may read an older write, so memory performs it at a read choice
    LlqCasPerformed,    // A = expected, B = new value, C = CPU: that CAS performed on the newest write at its read choice
    Consumed,           // A = position CONS passed under cons-advance=any, where the command may not have taken effect
}

/// <summary>Protocol branches reached, for coverage (issue 4's list).</summary>
public enum ProtocolBranch : byte
{
    Elide, Recheck, ReserveRetry, Owner, NonOwner, QueueWrap, FullQueueWait, ExclusiveRefresh,
    DrainFinished, ResumeInvalidation, SpeculativeFill, EarlyElide, SharedLockWait, FullQueueTimeout,
    UnknownRegisterRead,
}
