using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// herd7's verdict block computed from hand-built final states: the shown states (projected on what
/// the condition and locations name, distinct, in herd's order), Ok/No, the witnesses (swapped for
/// ~exists, as herd does), the condition as herd prints it and the observation.
/// </summary>
[Trait("Suite", "Fast")]
public class LitmusVerdictTests
{
    static LitmusTest Sb(string condition) => LitmusParser.Parse($$"""
        AArch64 SB
        { 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }
         P0          | P1          ;
         MOV W0,#1   | MOV W0,#1   ;
         STR W0,[X1] | STR W0,[X1] ;
         LDR W2,[X3] | LDR W2,[X3] ;
        {{condition}}
        """, "sb.litmus");

    /// <summary>A final state with the given X2 of each thread; <paramref name="noise"/> varies what no one observes.</summary>
    static LitmusFinal Final(long p0x2, long p1x2, long noise = 0)
    {
        var r0 = new long[32];
        var r1 = new long[32];
        (r0[2], r1[2], r0[5]) = (p0x2, p1x2, noise);
        return new LitmusFinal([r0, r1], [1, 1]);
    }

    static LitmusRun Run(params LitmusFinal[] finals) => new(finals, 42, null);

    static readonly LitmusFinal[] All = [Final(1, 1), Final(0, 1), Final(1, 0, noise: 7), Final(0, 0), Final(1, 0)];

    /// <summary>An address with an offset prints as herd prints it (herd's regression test A08: <c>0:X1=x[44]</c>), a bare address by its name.</summary>
    [Fact]
    public void An_address_prints_as_its_location_with_herds_byte_offset()
    {
        var t = Sb("exists (0:X2=0)");
        Assert.Equal("x", LitmusText.Value(t, LitmusValue.Address(0)));
        Assert.Equal("y[44]", LitmusText.Value(t, LitmusValue.Address(1) + 44));
        Assert.Equal("44", LitmusText.Value(t, 44));
    }

    [Fact]
    public void ExistsPrintsHerdsBlock()
    {
        var v = LitmusVerdict.Of(Sb(@"exists (0:X2=0 /\ 1:X2=0)"), Run(All));
        Assert.Equal([
            "Test SB Allowed",
            "States 4",
            "0:X2=0; 1:X2=0;",
            "0:X2=0; 1:X2=1;",
            "0:X2=1; 1:X2=0;",
            "0:X2=1; 1:X2=1;",
            "Ok",
            "Witnesses",
            "Positive: 1 Negative: 3",
            @"Condition exists (0:X2=0 /\ 1:X2=0)",
            "Observation SB Sometimes 1 3",
            "",
        ], v.Block());
        Assert.True(v.Witnessed);
        Assert.False(v.AlwaysHolds);
    }

    [Fact]
    public void NotExistsIsForbiddenAndCountsTheNegatedCondition()
    {
        var v = LitmusVerdict.Of(Sb(@"~exists (0:X2=0 /\ 1:X2=0)"), Run(All));
        var block = v.Block().ToList();
        Assert.Equal("Test SB Forbidden", block[0]);
        Assert.Equal("No", block[6]);
        Assert.Equal("Positive: 3 Negative: 1", block[8]);
        Assert.Equal(@"Condition ~exists (0:X2=0 /\ 1:X2=0)", block[9]);
        Assert.Equal("Observation SB Sometimes 1 3", block[10]);

        var never = LitmusVerdict.Of(Sb(@"~exists (0:X2=0 /\ 1:X2=0)"), Run(Final(1, 1), Final(0, 1)));
        Assert.Equal(["Ok", "Witnesses", "Positive: 2 Negative: 0"], never.Block().Skip(4).Take(3));
        Assert.Equal("Observation SB Never 0 2", never.Block().ElementAt(8));
    }

    [Fact]
    public void ForallIsRequiredAndOkOnlyWhenEveryStateSatisfiesIt()
    {
        var always = LitmusVerdict.Of(Sb(@"forall (0:X2=1 \/ 1:X2=1)"), Run(Final(1, 1), Final(0, 1), Final(1, 0)));
        Assert.Equal(["Test SB Required", "States 3"], always.Block().Take(2));
        Assert.True(always.Ok);
        Assert.Equal("Observation SB Always 3 0", always.Block().ElementAt(9));
        Assert.Equal(@"Condition forall (0:X2=1 \/ 1:X2=1)", always.Block().ElementAt(8));

        var sometimes = LitmusVerdict.Of(Sb(@"forall (0:X2=1 \/ 1:X2=1)"), Run(All));
        Assert.False(sometimes.Ok);
        Assert.Equal("Positive: 3 Negative: 1", sometimes.Block().ElementAt(8));
    }

    [Fact]
    public void AnUnwitnessedExistsIsNoAndNever()
    {
        var v = LitmusVerdict.Of(Sb(@"exists (0:X2=0 /\ 1:X2=0)"), Run(Final(1, 1), Final(0, 1), Final(1, 0)));
        Assert.False(v.Ok);
        Assert.False(v.Witnessed);
        Assert.Equal(["No", "Witnesses", "Positive: 0 Negative: 3"], v.Block().Skip(5).Take(3));
        Assert.Equal("Observation SB Never 0 3", v.Block().ElementAt(9));
    }

    [Fact]
    public void StatesSortNumericallyAndShowAddressesByName()
    {
        var t = Sb("locations [0:X3; y;]\nexists (0:X2=10)");
        var regs = (long two) => { var r = new long[32]; (r[2], r[3]) = (two, LitmusValue.Address(1)); return r; };
        var v = LitmusVerdict.Of(t, Run(new LitmusFinal([regs(10), new long[32]], [1, 2]), new LitmusFinal([regs(2), new long[32]], [1, 1])));
        Assert.Equal(["0:X2=2; 0:X3=y; y=1;", "0:X2=10; 0:X3=y; y=2;"], v.States.Select(s => LitmusText.State(t, s)));
    }

    [Fact]
    public void TheConditionPrintsAsHerdPrintsIt()
    {
        Assert.Equal(@"exists (0:X2=0 /\ 1:X2=0 /\ x=1)", LitmusText.Condition(Sb(@"exists ((0:X2=0 /\ 1:X2=0) /\ x=1)")));
        Assert.Equal(@"exists ((0:X2=0 \/ 1:X2=0) /\ x=1)", LitmusText.Condition(Sb(@"exists ((0:X2=0 \/ 1:X2=0) /\ [x]=1)")));
        Assert.Equal(@"exists (0:X2=0 /\ 1:X2=0 \/ x=1)", LitmusText.Condition(Sb(@"exists (0:X2=0 /\ 1:X2=0 \/ x=1)")));
        Assert.Equal(@"~exists (not (0:X2=0) /\ true)", LitmusText.Condition(Sb(@"~exists (~0:X2=0 /\ true)")));
        Assert.Equal(@"exists (x=y)", LitmusText.Condition(Sb(@"exists (x=y)")));
    }

    /// <summary>
    /// herd shows and compares an observed value at its C type, int when none is given: CSETM W3 is -1 (herd's A252), an
    /// untyped X register's 2^32 is 0, a uint32_t shows 4294967295, an int64_t and a location keep what their type holds,
    /// and the condition's 4294967295 equals the int -1 (herd's A265). The condition prints as written.
    /// </summary>
    [Fact]
    public void Values_are_shown_and_compared_at_their_type()
    {
        var t = LitmusParser.Parse("""
            AArch64 T
            { uint32_t 0:X4; int64_t 0:X5; uint64_t 0:X7; int16_t x; 0:X8=x; }
             P0 ;
             CMP W3,W3 ;
             CSETM W3,EQ ;
             CSETM W4,EQ ;
             MOV X5,#1 ;
             ADD X5,XZR,X5,LSL #32 ;
             MOV X6,X5 ;
             CSETM X7,EQ ;
             MOV W9,#0x18000 ;
             STR W9,[X8] ;
            forall (0:X3=4294967295 /\ 0:X4=4294967295 /\ 0:X5=4294967296 /\ 0:X6=0 /\ 0:X7=-1 /\ x=-32768 /\ 0:X8=x)
            """, "t.litmus");
        var v = LitmusVerdict.Of(t, LitmusExplorer.Run(t, CancellationToken.None));
        Assert.Equal("0:X3=-1; 0:X4=4294967295; 0:X5=4294967296; 0:X6=0; 0:X7=18446744073709551615; 0:X8=x; x=-32768;", LitmusText.State(t, Assert.Single(v.States)));
        Assert.True(v.Ok);
        Assert.Equal(@"forall (0:X3=4294967295 /\ 0:X4=4294967295 /\ 0:X5=4294967296 /\ 0:X6=0 /\ 0:X7=-1 /\ x=-32768 /\ 0:X8=x)", LitmusText.Condition(t));
    }

    [Fact]
    public void AnIncompleteRunHasNoVerdict() =>
        Assert.Throws<InvalidOperationException>(() => LitmusVerdict.Of(Sb("exists (0:X2=0)"), new LitmusRun([Final(0, 0)], 5, "maxStates 5")));
}
