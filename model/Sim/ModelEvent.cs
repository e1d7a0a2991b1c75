namespace SmmuActors.Model.Sim;

/// <summary>
/// A fact a component reports while handling a message. The code's meaning belongs to the protocol
/// layer (the SMMU model's <c>EventKind</c>); the engine only records, hashes and forwards events.
/// </summary>
public struct ModelEvent
{
    public byte Kind;
    public byte Actor;
    public long A;
    public long B;
    public long C;

    public ModelEvent(byte kind, byte actor, long a = 0, long b = 0, long c = 0)
    {
        Kind = kind; Actor = actor; A = a; B = b; C = c;
    }
}
