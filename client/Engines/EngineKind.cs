namespace SmmuActors.Client.Engines;

/// <summary>Where scenarios run; spelled at the edges through <see cref="Model.Sim.Naming"/>. The first is the default.</summary>
public enum EngineKind
{
    /// <summary>Every component a grain: in a silo embedded in the client, or on a cluster.</summary>
    Grains,
    /// <summary>Every component in this process.</summary>
    Local,
}
