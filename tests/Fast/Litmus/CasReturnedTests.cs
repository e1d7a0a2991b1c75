using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// What a CAS returns, used as an address, a stored value, a branch condition or an atomic's operand (docs/litmus.md,
/// "What a CAS returns"). herd's successful CAS has two answers for the register: data from Rs with control from the read
/// (DataFromRRs), or data from the read (DataFromRx); a failed one takes it from the read. The thread waits for the read,
/// not the write. z (X6) holds 0, so a CAS of z expecting 0 succeeds.
/// </summary>
[Trait("Suite", "Fast")]
public class CasReturnedTests
{
    /// <summary>LB: P0 reads x, then <paramref name="p0"/> writes y; P1 reads y, DMB SY, writes x. 0:X1=1 /\ 1:X1=1 exactly where P0's write is not ordered after its read.</summary>
    static bool Lb(params string[] p0)
    {
        var run = Columns.Run("", "0:X1=1 /\\ 1:X1=1", ["LDR W1,[X0]", "MOV W4,#1", .. p0], ["LDR W1,[X5]", "DMB SY", "MOV W2,#1", "STR W2,[X0]"]);
        return run.Finals.Any(f => f.Registers[0][1] == 1 && f.Registers[1][1] == 1);
    }

    /// <summary>MP: P0 writes x, DMB SY, writes y; P1 reads y, <paramref name="p1"/>, then x at X9's offset. 1:X1=1 /\ 1:X2=0 exactly where that load is not ordered after the read of y.</summary>
    static bool Mp(params string[] p1)
    {
        var run = Columns.Run("", "1:X1=1 /\\ 1:X2=0", ["MOV W1,#1", "STR W1,[X0]", "DMB SY", "STR W1,[X5]"], ["LDR W1,[X5]", "MOV W4,#1", .. p1, "LDR W2,[X0,X9]"]);
        return run.Finals.Any(f => f.Registers[1][1] == 1 && f.Registers[1][2] == 0);
    }

    /// <summary>
    /// The CAS's address comes from the read of x, so both answers order its result after that read: a store at it, a
    /// store of it, a branch on it, an atomic's operand (aarch64.cat's pob, [Exp]; pick-dep; [W]); Rs from the read too.
    /// </summary>
    [Theory]
    [InlineData("MOV W7,#0", "CAS W7,W4,[X9]", "EOR W7,W7,W7", "STR W4,[X5,W7,SXTW]")]
    [InlineData("MOV W7,#0", "CAS W7,W4,[X9]", "ADD W7,W7,#1", "STR W7,[X5]")]
    [InlineData("MOV W7,#0", "CAS W7,W4,[X9]", "CBNZ W7,L", "L:", "STR W4,[X5]")]
    [InlineData("MOV W7,#0", "CAS W7,W4,[X9]", "ADD W7,W7,#1", "SWP W7,W10,[X5]")]
    [InlineData("EOR W7,W1,W1", "CAS W7,W4,[X9]", "EOR W7,W7,W7", "STR W4,[X5,W7,SXTW]")]
    public void A_write_the_result_reaches_is_ordered_after_the_reads_both_answers_follow(params string[] use) =>
        Assert.False(Lb(["EOR W8,W1,W1", "ADD X9,X6,W8,SXTW", .. use]));

    /// <summary>
    /// Rs from the read of x, the CAS of z: the data from the read (DataFromRx, herd's LB+rel+CAS-ok-RsRs-addr, Allowed)
    /// or a failure (LB+rel+CAS-no-RsRs-addr, Allowed) gives the result no dependency on x, and the thread does not wait
    /// for Rs before using it. Explored with data from Rs only, or waiting for Rs, each is Forbidden.
    /// </summary>
    [Theory]
    [InlineData("EOR W7,W1,W1", "CAS W7,W4,[X6]", "EOR W7,W7,W7", "STR W4,[X5,W7,SXTW]")]
    [InlineData("EOR W7,W1,W1", "CAS W7,W4,[X6]", "CBNZ W7,L", "L:", "STR W4,[X5]")]
    [InlineData("MOV W7,W1", "CAS W7,W4,[X6]", "EOR W7,W7,W7", "STR W4,[X5,W7,SXTW]")]
    public void A_result_that_may_take_its_data_from_the_read_leaves_a_read_behind_rs_unordered(params string[] p0) => Assert.True(Lb(p0));

    /// <summary>
    /// MP, a load at what the CAS returned. Rs from the read of y, the CAS of z: data from the read leaves the load
    /// unordered (herd's MP+rel+CAS-ok-RsRs-addr, Allowed). The CAS's address from y and a failure: data from the read
    /// orders it (MP+rel+CAS-no-RnRs-addr, Forbidden).
    /// </summary>
    [Fact]
    public void Data_from_the_read_is_explored_for_a_load_at_the_result()
    {
        Assert.True(Mp("EOR W7,W1,W1", "CAS W7,W4,[X6]", "EOR X9,X7,X7"));
        Assert.False(Mp("EOR W8,W1,W1", "ADD X10,X6,W8,SXTW", "MOV W7,#5", "CAS W7,W4,[X10]", "EOR X9,X7,X7"));
    }

    /// <summary>
    /// And data from Rs: Rs from P1's read of P0's first write (z from 1 to 0, kept in W11), which nothing orders after
    /// its read of y, the CAS's address from y. Data from the read orders the load of x after y (Forbidden); data from
    /// Rs, with control only from the read, does not (Allowed), so the union is Allowed.
    /// </summary>
    [Fact]
    public void Data_from_rs_is_explored_for_a_load_at_the_result()
    {
        var run = Columns.Run("int z=1;", "1:X1=1 /\\ 1:X2=0",
            ["STR WZR,[X6]", "DMB SY", "MOV W1,#1", "STR W1,[X0]", "DMB SY", "STR W1,[X5]"],
            ["LDR W1,[X5]", "MOV W4,#1", "LDR W7,[X6]", "MOV W11,W7", "EOR W8,W1,W1", "ADD X10,X6,W8,SXTW", "CAS W7,W4,[X10]",
                "EOR X9,X7,X7", "LDR W2,[X0,X9]"]);
        Assert.Contains(run.Finals, f => f.Registers[1][1] == 1 && f.Registers[1][11] == 0 && f.Registers[1][2] == 0);
    }

    /// <summary>
    /// A successful CAS with Rs a constant gives a load it addresses no dependency on its read (MP+rel+CAS-ok-MRs-addr,
    /// Allowed); a failed one does (MP+rel+CAS-no-MRs-addr, Forbidden); an ISB after the load orders what follows after
    /// the read (pick-addr-dep; [M]; po; [IFB]; po).
    /// </summary>
    [Fact]
    public void A_constant_rs_gives_control_only()
    {
        Assert.True(FlagDependencyTests.Stale("MOV W5,#1", "CAS W5,W9,[X1]", "EOR X5,X5,X5"));
        Assert.False(FlagDependencyTests.Stale("MOV W5,#2", "CAS W5,W9,[X1]", "EOR X5,X5,X5"));
        Assert.False(FlagDependencyTests.Stale("MOV W5,#1", "CAS W5,W9,[X1]", "EOR X5,X5,X5", "LDR W7,[X3,X5]", "ISB"));
    }

    /// <summary>
    /// herd's MP+CAS-rfi-ctrl+acq (Allowed): a store after a branch on what the CAS returned is ordered after its read,
    /// not its write, so P1 may see it and then x without the CAS's write, a CASA's too ([A]; po starts at the read); as a
    /// release it follows the write, and so does everything after a CASAL's write ([range([A]; amo; [L])]; po) (Forbidden).
    /// </summary>
    [Theory]
    [InlineData("CAS", "STR W3,[X5]", true)]
    [InlineData("CASA", "STR W3,[X5]", true)]
    [InlineData("CAS", "STLR W3,[X5]", false)]
    [InlineData("CASAL", "STR W3,[X5]", false)]
    public void The_thread_waits_for_the_read_not_the_write(string cas, string store, bool seenFirst)
    {
        var run = Columns.Run("", "x=1 /\\ 1:X1=1 /\\ 1:X2=0",
            ["MOV W1,#0", "MOV W2,#1", $"{cas} W1,W2,[X0]", "CBNZ W1,L", "MOV W3,#1", store, "L:"], ["LDAR W1,[X5]", "LDR W2,[X0]"]);
        Assert.Equal(seenFirst, run.Finals.Any(f => f.Memory[0] == 1 && f.Registers[1][1] == 1 && f.Registers[1][2] == 0));
    }
}
