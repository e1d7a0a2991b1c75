namespace SmmuActors.Model.Exploration;

/// <summary>How executions are chosen. Spelled at the edges through <see cref="Sim.Naming"/>.</summary>
public enum StrategyKind
{
    /// <summary>Seeded random delays: fast, for campaigns.</summary>
    Random,
    /// <summary>Every choice sequence the search covers.</summary>
    Exhaustive,
    /// <summary>A recorded choice list played back.</summary>
    Replay,
}
