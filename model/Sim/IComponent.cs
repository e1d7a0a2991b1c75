namespace SmmuActors.Model.Sim;

/// <summary>A protocol component: a state machine (state, message) -> (state', messages, events).</summary>
public interface IComponent
{
    void Handle(in Message m, Outbox outbox);

    /// <summary>Writes every field that determines future behaviour, for state hashing.</summary>
    void Hash(ref StateHasher h);

    /// <summary>A deep copy that goes on independently: the exhaustive search branches from it.</summary>
    IComponent Clone();
}
