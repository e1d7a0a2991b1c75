namespace SmmuActors.Model.Sim;

public enum ControlKind : byte
{
    /// <summary>dma_wmb: later stores of the sender go after its earlier ones.</summary>
    StoreFence,
    /// <summary>The sender's pending timer is no longer wanted (its spin was answered first).</summary>
    CancelTimer,
    /// <summary>
    /// The sender's spin timed out: the poll loop stopped reading, so its wait parked at the holder is
    /// dropped. Applied by the untimed engine (<see cref="IWaitHolder"/>); timed runs keep the wait parked
    /// and the sender ignores its late answer, as they always did.
    /// </summary>
    Withdraw,
    /// <summary>
    /// The sender's program ended: it will access memory no more, so what the holder kept for its future loads and
    /// barriers is dead (<see cref="IRecordHolder"/>). Applied by the untimed engine, where dead records would only keep
    /// apart states that go on alike; timed runs never send it.
    /// </summary>
    Retire,
}

/// <summary>
/// A control operation a component performs on the interconnect, between its sends: acts at send index
/// <see cref="Before"/>. <see cref="Operand"/>: the timer's id (CancelTimer), the holder's actor (Withdraw).
/// </summary>
public readonly record struct Control(ControlKind Kind, int Before, long Operand);
