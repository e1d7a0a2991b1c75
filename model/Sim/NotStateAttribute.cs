namespace SmmuActors.Model.Sim;

/// <summary>
/// Marks a field of a component (or of the invariants) that its state hash leaves out on purpose:
/// configuration fixed at construction, or a value derived from state that is hashed elsewhere. Every
/// other instance field must change the hash when it changes (a test checks), because exhaustive
/// search prunes on the hash and a missed field would make a clean verdict unsound.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class NotStateAttribute(string why) : Attribute
{
    public string Why { get; } = why;
}
