using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Exploration;

/// <summary>The first run (by index) that showed a kind of violation, with the choice list that replays it.</summary>
public sealed record Witness(ViolationKind Kind, long RunIndex, long[] Choices);
