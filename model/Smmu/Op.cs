using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>What a thread of a workload does, one step of its program.</summary>
public enum OpKind
{
    /// <summary>§0.11: store the invalid PTE, then TLBI_VA + CMD_SYNC; on return the page may be reused.</summary>
    Unmap,
    /// <summary>Store a valid PTE (a new mapping generation); arm-smmu-v3 needs no invalidation on map.</summary>
    Map,
    /// <summary>A batch of Count TLBI_VA commands, with or without a CMD_SYNC.</summary>
    Tlbi,
    /// <summary>A lone CMD_SYNC.</summary>
    Sync,
    /// <summary>Do nothing for Ticks of virtual time.</summary>
    Idle,
    /// <summary>Runtime suspend (§0.9).</summary>
    Suspend,
    /// <summary>Runtime resume (§0.10).</summary>
    Resume,
    /// <summary>Litmus: plain store of Value to Var.</summary>
    Store,
    /// <summary>Litmus: store-release of Value to Var.</summary>
    StoreRelease,
    /// <summary>Litmus: load Var and record what was seen.</summary>
    Load,
    /// <summary>smp_mb (dmb ish): full barrier on this CPU.</summary>
    SmpMb,
    /// <summary>dma_mb (dmb osh): full barrier on this CPU.</summary>
    DmaMb,
    /// <summary>dma_wmb (dmb oshst): orders earlier stores before later stores only.</summary>
    DmaWmb,
    /// <summary>Litmus: a plain store of a CFGI_ALL command into ring slot Count (lap 0).</summary>
    StoreSlot,
    /// <summary>Litmus: writel_relaxed of Value to SMMU register Var: no ordering against normal memory (§4.1).</summary>
    WritelRelaxed,
    /// <summary>Litmus: writel of Value to SMMU register Var: dma_wmb, then the device write (§4.1).</summary>
    Writel,
}

public sealed record Op(OpKind Kind, int Iova = -1, int Count = 1, bool Sync = true, long Ticks = 0, int Var = -1, long Value = 0);
