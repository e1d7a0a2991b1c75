using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Smmu;

/// <summary>
/// The CMDQ producer/consumer word arithmetic exactly as arm-smmu-v3.h defines it
/// (protocol.md §2.1, §2.2): IDX = low <c>shift</c> bits, WRP = bit <c>shift</c>,
/// STOP = bit 30 (the 2026 patch, §3.3), OWNED = bit 31 (alias of Q_OVF).
/// All arithmetic is u32, as in the driver, so arbitrary values behave as there.
/// </summary>
public readonly struct ProdWord
{
    public const uint Owned = 1u << 31;
    public const uint Stop = 1u << 30;

    public int Shift { get; }

    public ProdWord(int shift)
    {
        if (shift < 1 || shift > 24)
            throw new ArgumentOutOfRangeException(nameof(shift), shift, "queue shift must be 1..24 (2..16M entries)");
        Shift = shift;
    }

    public uint Entries => 1u << Shift;
    public uint IdxMask => Entries - 1;
    public uint WrpBit => Entries;

    /// <summary>v8's CMDQ_PROD_IDX_MASK: IDX and WRP, every flag stripped (§3.4).</summary>
    public uint IdxWrpMask => (Entries << 1) - 1;

    public uint Idx(uint p) => p & IdxMask;
    public uint Wrp(uint p) => p & WrpBit;

    /// <summary>A queue position as traces and violations show it: index and lap parity, e.g. <c>5/w1</c>.</summary>
    public string Position(uint p) => $"{Idx(p)}/w{(Wrp(p) != 0 ? 1 : 0)}";
    public static bool IsStop(uint p) => (p & Stop) != 0;
    public static bool IsOwned(uint p) => (p & Owned) != 0;

    public bool HasSpace(uint prod, uint cons, uint n)
    {
        uint p = Idx(prod), c = Idx(cons);
        uint space = Wrp(prod) == Wrp(cons) ? Entries - (p - c) : c - p;
        return space >= n;
    }

    public bool Full(uint prod, uint cons) => Idx(prod) == Idx(cons) && Wrp(prod) != Wrp(cons);

    public bool Empty(uint prod, uint cons) => Idx(prod) == Idx(cons) && Wrp(prod) == Wrp(cons);

    /// <summary>queue_consumed(cons, prod): has cons moved strictly past prod.</summary>
    public bool Consumed(uint cons, uint prod) =>
        (Wrp(cons) == Wrp(prod) && Idx(cons) > Idx(prod)) ||
        (Wrp(cons) != Wrp(prod) && Idx(cons) <= Idx(prod));

    /// <summary>
    /// queue_inc_prod_n: add n to WRP|IDX, drop the carry out of WRP, keep OWNED;
    /// the v8 patch also keeps STOP (<paramref name="keepStop"/>), mainline drops it (§2.2, §3.3).
    /// </summary>
    public uint IncProdN(uint prod, uint n, bool keepStop)
    {
        uint next = (Wrp(prod) | Idx(prod)) + n;
        uint kept = prod & (keepStop ? Owned | Stop : Owned);
        return kept | Wrp(next) | Idx(next);
    }

    /// <summary>Absolute distance from <paramref name="from"/> to <paramref name="to"/> in slots, modulo two laps.</summary>
    public uint Distance(uint from, uint to) => ((to & IdxWrpMask) - (from & IdxWrpMask)) & IdxWrpMask;
}
