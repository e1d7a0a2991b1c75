using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Support;

/// <summary>
/// Memory with two driver threads, a CPU and the power manager, fed messages by hand: the tests of one memory rule
/// at a time (spins' read choices, split RMWs, resume's llq reads).
/// </summary>
public static class TwoThreadMemory
{
    public const byte Cpu = Layout.FirstThread, Pm = Layout.FirstThread + 1;

    public static readonly Layout L = new(shift: 3, iovas: 1, vars: 0, threads: 2);

    public static MemoryComponent New(bool armv8Loads, bool splitRmw = false) =>
        new(L, new long[L.MemoryLocations], armv8Loads, splitRmw: splitRmw);

    public static Message To(byte src, MessageKind kind, int loc, long a = 0, long b = 0, long c = 0, Ordering order = Ordering.None, int seq = 0) =>
        new() { Src = src, Dst = Layout.MemoryActor, Kind = kind, Loc = loc, A = a, B = b, C = c, Order = order, Seq = seq };
}
