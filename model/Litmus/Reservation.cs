using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Litmus;

/// <summary>
/// What a thread's latest load-exclusive (LDXR, LDAXR) leaves for the store-exclusive that pairs with it (docs/litmus.md,
/// "Exclusives"): the location and size it read, the view of its address (herd's <c>ResAddr</c> register, which the
/// store-exclusive's status value depends on when it succeeds), the tag of its reply, and the write it read
/// (<see cref="WriteHistory.Identity"/>; <see cref="Unknown"/> until the reply comes). <see cref="Overwritten"/>: the
/// thread has since written the location itself, after which the model does not say whether a store-exclusive may pass.
/// <see cref="ReadView"/>: the stamp the read was performed at, once answered, which a load-acquire that reads the paired
/// write follows (herd's aob, <c>rmw; lrs; [A | Q]</c>).
/// </summary>
public readonly record struct Reservation(int Loc, int Bytes, long AddrView, int Tag, long Read, bool Overwritten, long ReadView = 0)
{
    /// <summary>The write read is not known yet: the load-exclusive has not been answered.</summary>
    public const long Unknown = -1;

    /// <summary>No reservation: no load-exclusive since the start or since the last store-exclusive.</summary>
    public static readonly Reservation None = new(-1, 0, 0, 0, Unknown, false);

    public bool Held => Loc >= 0;

    public void Hash(ref StateHasher h)
    {
        h.Add(Loc); h.Add(Bytes); h.Add(AddrView); h.Add(Tag); h.Add(Read); h.Add(Overwritten ? 1 : 0); h.Add(ReadView);
    }
}
