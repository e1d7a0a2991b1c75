namespace SmmuActors.Model.Sim;

/// <summary>What a component sends and reports while handling one message. Reused across deliveries.</summary>
public sealed class Outbox
{
    public readonly List<Message> Messages = new(8);
    public readonly List<ModelEvent> Events = new(4);
    public readonly List<Control> Controls = new(2);
    byte _self;

    public void Begin(byte self)
    {
        _self = self;
        Messages.Clear();
        Events.Clear();
        Controls.Clear();
    }

    public void Send(byte dst, MessageKind kind, DelayClass cls, Ordering order = Ordering.None, int loc = 0, long a = 0, long b = 0, long c = 0,
        long delay = 0, long view = 0, int own = 0) =>
        Messages.Add(new Message { Src = _self, Dst = dst, Kind = kind, Class = cls, Order = order, Loc = loc, A = a, B = b, C = c, Delay = delay, View = view, Own = own });

    /// <summary>A store fence (dma_wmb): every later store of this sender goes after every earlier one.</summary>
    public void StoreFence() => Controls.Add(new Control(ControlKind.StoreFence, Messages.Count, 0));

    /// <summary>This sender's pending timer <paramref name="timer"/> is no longer wanted.</summary>
    public void CancelTimer(long timer) => Controls.Add(new Control(ControlKind.CancelTimer, Messages.Count, timer));

    /// <summary>This sender's wait parked at <paramref name="holder"/> is abandoned (its spin timed out).</summary>
    public void Withdraw(byte holder) => Controls.Add(new Control(ControlKind.Withdraw, Messages.Count, holder));

    /// <summary>This sender's program ended: <paramref name="holder"/> may drop its records of it.</summary>
    public void Retire(byte holder) => Controls.Add(new Control(ControlKind.Retire, Messages.Count, holder));

    public void Emit(byte kind, long a = 0, long b = 0, long c = 0) => Events.Add(new ModelEvent(kind, _self, a, b, c));
}
