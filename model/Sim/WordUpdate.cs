namespace SmmuActors.Model.Sim;

/// <summary>
/// What a write or read-modify-write does to a 64-bit memory word: the one definition that memory
/// applies and that observers (QueueWatch) mirror. Reads and requests without an effect leave it as is.
/// </summary>
public static class WordUpdate
{
    public static long Apply(in Message m, long w) => m.Kind switch
    {
        MessageKind.Store => m.A,
        MessageKind.StoreCons => (w & 0xFFFFFFFFL) | (m.A << 32),          // WRITE_ONCE(llq.cons): the high half
        MessageKind.StoreMsi => w & unchecked((long)0xFFFFFFFF00000000UL),  // the MSI writes 0 to the slot's first 32-bit word
        MessageKind.Cas => CasMatches(m, w) ? m.B : w,
        MessageKind.FetchOr => w | m.A,
        MessageKind.FetchAndNot or MessageKind.AndNot => w & ~m.A,
        MessageKind.FetchAdd or MessageKind.Add => w + m.A,
        MessageKind.Xor => w ^ m.A,
        MessageKind.Swap => m.A,
        _ => w,
    };

    /// <summary>Whether compare-and-swap <paramref name="cas"/> finds its expected value (A) in <paramref name="value"/>: at 32 bits for a <see cref="Ordering.Narrow"/> one.</summary>
    public static bool CasMatches(in Message cas, long value) => ((cas.Order & Ordering.Narrow) != 0 ? (uint)value : value) == cas.A;

    /// <summary>True for the read-modify-writes that answer with the old value.</summary>
    public static bool Replies(MessageKind k) => k is MessageKind.Cas or MessageKind.FetchOr or MessageKind.FetchAndNot or MessageKind.FetchAdd or MessageKind.Swap;
}
