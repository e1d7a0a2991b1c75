using SmmuActors.Model.Sim;

namespace SmmuActors.Tests.Sim;

/// <summary>
/// Rules of <see cref="OrderingRules"/> that no engine exercises on its own today, because something else keeps the
/// order they ask for (a driver thread holds its second load of a location until the first is answered; the litmus
/// search delivers a load's read choices before any request to memory): held here rule by rule, so that a change to those
/// callers cannot leave the order unkept.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class OrderingRulesTests
{
    const byte Memory = 0, Cpu0 = 1, Cpu1 = 2;
    const int X = 3, Y = 4;

    static Message Choice(byte of, int loc) =>
        new() { Src = Memory, Dst = Memory, Kind = MessageKind.ReadChoice, Loc = loc, A = 0, B = of, Order = Ordering.Alternative, Seq = 5 };

    static Message Load(byte src, int loc) => new() { Src = src, Dst = Memory, Kind = MessageKind.Load, Loc = loc, Seq = 6 };

    /// <summary>
    /// CoRR (aarch64.cat's internal: po-loc | rf | co | fr acyclic): a CPU's later load of x waits until the write its
    /// earlier load of x reads is chosen, so it cannot read an older one. Other locations and other CPUs do not wait.
    /// </summary>
    [Fact]
    public void A_load_waits_for_the_read_choice_of_its_cpus_earlier_load_of_the_location()
    {
        Assert.True(OrderingRules.MustPrecede(Choice(Cpu0, X), Load(Cpu0, X)));
        Assert.False(OrderingRules.MustPrecede(Choice(Cpu0, X), Load(Cpu0, Y)));
        Assert.False(OrderingRules.MustPrecede(Choice(Cpu0, X), Load(Cpu1, X)));
    }
}
