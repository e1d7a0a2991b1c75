namespace SmmuActors.Client.Engines;

/// <summary>
/// Where scenarios run; spelled at the edges through <see cref="Model.Sim.Naming"/>. Without --engine, the local
/// engine, or the grain engine when --cluster or --redis names a cluster (<see cref="EngineInput.Resolve"/>).
/// </summary>
public enum EngineKind
{
    /// <summary>Every component in this process: the fastest (see the README's "Engines").</summary>
    Local,
    /// <summary>Every component a grain: in a silo embedded in the client, or on a cluster.</summary>
    Grains,
}
