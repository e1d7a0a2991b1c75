using SmmuActors.Tests.Support;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Smmu;

[Trait("Suite", "Fast")]
public class ProdWordTests
{
    readonly ProdWord _q = new(3); // 8 entries: IDX bits 0-2, WRP bit 3

    [Fact]
    public void IncrementWrapsIndexAndTogglesWrapBit()
    {
        Assert.Equal(0x8u, _q.IncProdN(0x7, 1, false));           // 7/w0 + 1 = 0/w1
        Assert.Equal(0x0u, _q.IncProdN(0xF, 1, false));           // 7/w1 + 1 = 0/w0: the carry out of WRP is dropped
        Assert.Equal(0xAu, _q.IncProdN(0x6, 4, false));           // 6/w0 + 4 = 2/w1
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OwnedIsAlwaysKeptStopOnlyWhenSwitchedOn(bool keepStop)
    {
        uint p = ProdWord.Owned | ProdWord.Stop | 0x5;
        uint next = _q.IncProdN(p, 2, keepStop);
        Assert.True(ProdWord.IsOwned(next));
        Assert.Equal(keepStop, ProdWord.IsStop(next));
        Assert.Equal(0x7u, next & _q.IdxWrpMask);
    }

    [Fact]
    public void OtherHighBitsAreDropped()
    {
        Assert.Equal(0x1u, _q.IncProdN(0x2000_0000u | 0x0, 1, true));
    }

    [Fact]
    public void FlagsDoNotChangeSpaceFullOrEmpty()
    {
        uint flags = ProdWord.Owned | ProdWord.Stop;
        Assert.Equal(_q.HasSpace(0x3, 0x1, 6), _q.HasSpace(0x3 | flags, 0x1, 6));
        Assert.True(_q.Full(0x8 | flags, 0x0));
        Assert.True(_q.Empty(0x5 | flags, 0x5));
        Assert.False(_q.HasSpace(0x3, 0x1, 7));
        Assert.True(_q.HasSpace(0x3, 0x1, 6));
    }

    [Fact]
    public void ConsumedMeansStrictlyPast()
    {
        Assert.False(_q.Consumed(0x3, 0x3));
        Assert.True(_q.Consumed(0x4, 0x3));
        Assert.True(_q.Consumed(0x9, 0x7)); // cons 1/w1 is past prod 7/w0
        Assert.True(_q.Consumed(0xF, 0x7)); // cons 7/w1 is a lap past prod 7/w0
    }

    static bool Holds(ProdWord q, WaitPredicate p, long value) =>
        WaitCondition.Holds(q, value, new SmmuActors.Model.Sim.Message { Kind = SmmuActors.Model.Sim.MessageKind.Wait, C = (byte)p });

    [Fact]
    public void TheSpinsEndAsTheDriversConditionsDo()
    {
        // poll_until_not_full spins until !queue_full(llq) on the llq word (prod low, cons high; §2.6): one free slot is enough.
        long Llq(uint prod, uint cons) => (long)cons << 32 | prod;
        Assert.False(Holds(_q, WaitPredicate.NotFull, Llq(0x8, 0x0)));                                    // 0/w1 against 0/w0: full
        Assert.True(Holds(_q, WaitPredicate.NotFull, Llq(0x7 | ProdWord.Owned | ProdWord.Stop, 0x0)));   // seven used, one free
        // A sharer that met an exclusive holder keeps its count and spins until VAL > 0 (df180b1a4cc5, §2.6).
        Assert.False(Holds(_q, WaitPredicate.Positive, int.MinValue + 1));
        Assert.False(Holds(_q, WaitPredicate.Positive, 0));
        Assert.True(Holds(_q, WaitPredicate.Positive, 1));
    }

    static bool Reached(ProdWord q, long value, uint target) =>
        WaitCondition.Holds(q, value, new SmmuActors.Model.Sim.Message
        {
            Kind = SmmuActors.Model.Sim.MessageKind.Wait, A = target, B = q.IdxWrpMask, C = (byte)WaitPredicate.Reached,
        });

    [Fact]
    public void TheFlushReachesItsTargetAtOrPastIt()
    {
        // flush-compare=reached: owner_prod at the target, or past it within a lap, flags masked (8 slots, target 5/w0).
        Assert.True(Reached(_q, 0x5, 0x5));
        Assert.True(Reached(_q, 0x7 | ProdWord.Stop, 0x5));
        Assert.True(Reached(_q, 0x8 | 0x2, 0x5));  // 2/w1: past 5/w0 across the wrap
        Assert.False(Reached(_q, 0x4, 0x5));
        Assert.False(Reached(_q, 0x8 | 0x6, 0x5)); // 6/w1 reads as 6/w1 of the lap before, short of the target: queue_consumed's window
    }

    [Fact]
    public void RejectsImpossibleShift()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProdWord(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProdWord(30));
    }
}
