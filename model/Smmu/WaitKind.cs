namespace SmmuActors.Model.Smmu;

/// <summary>What a driver thread is waiting for, as the liveness verdicts name it.</summary>
public enum WaitKind : byte
{
    None,
    /// <summary>A CMD_SYNC's completion (MSI write or CONS): never completing is sync-timeout.</summary>
    Sync,
    /// <summary>The suspend's drain (flush, HW drain, quiesce, or its CMD_SYNC): never finishing is drain-timeout.</summary>
    Drain,
    /// <summary>poll_until_not_full, its retries included: never ending is wait-forever.</summary>
    QueueSpace,
    /// <summary>Any other spin (shared lock, owner_prod, valid map, register acknowledgement): never ending is wait-forever.</summary>
    Spin,
}
