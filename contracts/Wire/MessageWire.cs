using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Contracts.Wire;

/// <summary>The wire form of <see cref="Message"/>: the model stays free of Orleans, so its structs travel through surrogates.</summary>
[GenerateSerializer, Alias("smmu.message")]
public struct MessageSurrogate
{
    [Id(0)] public int Seq;
    [Id(1)] public long SendTime;
    [Id(2)] public long Time;
    [Id(3)] public long Delay;
    [Id(4)] public byte Src;
    [Id(5)] public byte Dst;
    [Id(6)] public MessageKind Kind;
    [Id(7)] public DelayClass Class;
    [Id(8)] public Ordering Order;
    [Id(9)] public int Loc;
    [Id(10)] public long A;
    [Id(11)] public long B;
    [Id(12)] public long C;
    [Id(13)] public int Fence;
    [Id(14)] public long View;
    [Id(15)] public int Own;
    [Id(16)] public ushort Releases;
    [Id(17)] public bool Marked;
}

[RegisterConverter]
public sealed class MessageConverter : IConverter<Message, MessageSurrogate>
{
    public Message ConvertFromSurrogate(in MessageSurrogate s) => new()
    {
        Seq = s.Seq, SendTime = s.SendTime, Time = s.Time, Delay = s.Delay, Src = s.Src, Dst = s.Dst,
        Kind = s.Kind, Class = s.Class, Order = s.Order, Loc = s.Loc, A = s.A, B = s.B, C = s.C, Fence = s.Fence,
        View = s.View, Own = s.Own, Releases = s.Releases, Marked = s.Marked,
    };

    public MessageSurrogate ConvertToSurrogate(in Message m) => new()
    {
        Seq = m.Seq, SendTime = m.SendTime, Time = m.Time, Delay = m.Delay, Src = m.Src, Dst = m.Dst,
        Kind = m.Kind, Class = m.Class, Order = m.Order, Loc = m.Loc, A = m.A, B = m.B, C = m.C, Fence = m.Fence,
        View = m.View, Own = m.Own, Releases = m.Releases, Marked = m.Marked,
    };
}
