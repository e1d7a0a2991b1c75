namespace SmmuActors.Model.Sim;

/// <summary>What a component sends and reports while handling one message. Reused across deliveries.</summary>
public sealed class Outbox
{
    public readonly List<Message> Messages = new(8);
    public readonly List<ModelEvent> Events = new(4);
    byte _self;

    public void Begin(byte self)
    {
        _self = self;
        Messages.Clear();
        Events.Clear();
    }

    public void Send(byte dst, MessageKind kind, DelayClass cls, Ordering order = Ordering.None, int loc = 0, long a = 0, long b = 0, long c = 0, long delay = 0) =>
        Messages.Add(new Message { Src = _self, Dst = dst, Kind = kind, Class = cls, Order = order, Loc = loc, A = a, B = b, C = c, Delay = delay });

    public void Emit(byte kind, long a = 0, long b = 0, long c = 0) => Events.Add(new ModelEvent(kind, _self, a, b, c));
}
