using System.Runtime.InteropServices;

namespace SmmuActors.Model.Sim;

/// <summary>
/// What a component sends and reports while handling one message. Reused across deliveries: <see cref="Begin"/> empties
/// it; <see cref="Continue"/> appends one delivery's output after the previous ones' (the grain engine hands a component
/// the deliveries of many runs in one call and sends back their outputs in one reply, with no copy per delivery).
/// </summary>
public sealed class Outbox
{
    public readonly List<Message> Messages = new(8);
    public readonly List<ModelEvent> Events = new(4);
    public readonly List<Control> Controls = new(2);
    /// <summary>
    /// Scratch for the handler, cleared on every use: the writes a load may read. It lives here, with whoever delivers
    /// (one outbox per search worker or run loop), because a component's clones may be handled on several threads at once.
    /// </summary>
    public readonly List<WriteHistory.Readable> Readable = new(4);
    byte _self;
    // Where the current delivery's sends start: a control's place is counted among its own delivery's sends.
    int _start;

    public void Begin(byte self)
    {
        _self = self;
        _start = 0;
        Messages.Clear();
        Events.Clear();
        Controls.Clear();
    }

    /// <summary>Starts another delivery's output after what is already here.</summary>
    public void Continue(byte self)
    {
        _self = self;
        _start = Messages.Count;
    }

    /// <summary>The current delivery's sends.</summary>
    public ReadOnlySpan<Message> Sent => CollectionsMarshal.AsSpan(Messages)[_start..];

    public void Send(byte dst, MessageKind kind, DelayClass cls, Ordering order = Ordering.None, int loc = 0, long a = 0, long b = 0, long c = 0,
        long delay = 0, long view = 0, int own = 0, ushort releases = 0, bool marked = false) =>
        Messages.Add(new Message
        {
            Src = _self, Dst = dst, Kind = kind, Class = cls, Order = order, Loc = loc, A = a, B = b, C = c, Delay = delay, View = view, Own = own,
            Releases = releases, Marked = marked,
        });

    /// <summary>
    /// A message put in flight on <paramref name="src"/>'s behalf: the write of its RMW (rmw-write=split), which the
    /// ordering rules treat as that CPU's store (its fences, barriers and releases wait for it).
    /// </summary>
    public void SendAs(byte src, byte dst, MessageKind kind, DelayClass cls, Ordering order, int loc, long a) =>
        Messages.Add(new Message { Src = src, Dst = dst, Kind = kind, Class = cls, Order = order, Loc = loc, A = a });

    /// <summary>A store fence (dma_wmb): every later store of this sender goes after every earlier one.</summary>
    public void StoreFence() => Controls.Add(new Control(ControlKind.StoreFence, Messages.Count - _start, 0));

    /// <summary>This sender's pending timer <paramref name="timer"/> is no longer wanted.</summary>
    public void CancelTimer(long timer) => Controls.Add(new Control(ControlKind.CancelTimer, Messages.Count - _start, timer));

    /// <summary>This sender's wait parked at <paramref name="holder"/> is abandoned (its spin timed out).</summary>
    public void Withdraw(byte holder) => Controls.Add(new Control(ControlKind.Withdraw, Messages.Count - _start, holder));

    /// <summary>This sender's program ended: <paramref name="holder"/> may drop its records of it.</summary>
    public void Retire(byte holder) => Controls.Add(new Control(ControlKind.Retire, Messages.Count - _start, holder));

    public void Emit(byte kind, long a = 0, long b = 0, long c = 0) => Events.Add(new ModelEvent(kind, _self, a, b, c));
}
