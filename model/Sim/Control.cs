namespace SmmuActors.Model.Sim;

public enum ControlKind : byte
{
    /// <summary>dma_wmb: later stores of the sender go after its earlier ones.</summary>
    StoreFence,
    /// <summary>The sender's pending timer is no longer wanted (its spin was answered first).</summary>
    CancelTimer,
}

/// <summary>A control operation a component performs on the interconnect, between its sends: acts at send index <see cref="Before"/>.</summary>
public readonly record struct Control(ControlKind Kind, int Before, long Timer);
