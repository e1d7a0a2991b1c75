using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// What atomics write: each LDop's operation of the old value and Rs, as the Arm ARM's LDADD ... LDUMIN (herd's
/// <c>atomic_op</c>); and a 4-byte atomic reads, compares and writes the location's low 32 bits, as the Arm ARM's CAS, SWP and LDADD of a W
/// register do (and herd's AArch64.ASL CAS04): whatever the upper bits of the value the explorer holds, an <c>int</c>
/// initial value sign-extended or a 64-bit one.
/// </summary>
[Trait("Suite", "Fast")]
public class AtomicValueTests
{
    static IReadOnlyList<LitmusFinal> Finals(string init, params string[] threads)
    {
        string header = string.Join(" | ", threads.Select((_, t) => $"P{t}"));
        var columns = threads.Select(c => c.Split('\n')).ToArray();
        int rows = columns.Max(c => c.Length);
        var lines = Enumerable.Range(0, rows).Select(r => string.Join(" | ", columns.Select(c => r < c.Length ? c[r] : "")) + " ;");
        var test = Inline.Parse($"AArch64 T\n{{ {init} }}\n {header} ;\n{string.Join("\n", lines)}\nexists (0:X0=0)\n");
        return LitmusExplorer.Run(test, CancellationToken.None).Finals;
    }

    /// <summary><c>int x=-1</c> holds 0xFFFFFFFF in its 4 bytes: a W CAS expecting W0 = 0xFFFFFFFF finds it and writes.</summary>
    [Fact]
    public void A_w_cas_compares_the_low_32_bits_of_a_negative_int()
    {
        var finals = Finals("int x=-1; int64_t 0:X0=-1; 0:X3=x;", "MOV W2,#1\nCAS W0,W2,[X3]");
        Assert.All(finals, f => Assert.Equal(1, f.Memory[0]));
    }

    /// <summary>
    /// A W LDADD of 1 to 0xFFFFFFFF leaves 0 (the carry out of bit 31 is not written), so P1's CAS expecting 0 after it
    /// writes 7; x never holds 2^32.
    /// </summary>
    [Fact]
    public void A_w_ldadd_wraps_at_32_bits()
    {
        var finals = Finals("int64_t x=4294967295; 0:X3=x; 1:X3=x;", "MOV W2,#1\nLDADD W2,W4,[X3]", "MOV W5,#7\nCAS W6,W5,[X3]");
        Assert.Contains(finals, f => f.Memory[0] == 7 && f.Registers[1][6] == 0);
        Assert.DoesNotContain(finals, f => f.Memory[0] == 1L << 32);
    }

    /// <summary>
    /// Each LDop returns the old value and writes old op Rs, at 64 bits (X) or 32 (W, the signed ones comparing bit 31 as the
    /// sign), by memory in one step and, split (after a store of the same value, which it may read by forwarding), by the
    /// thread; its STop writes the same. Each case: the mnemonic's operation, x before, Rs, x after.
    /// </summary>
    [Theory]
    [InlineData("ADD", "X", -1, 2, 1)]
    [InlineData("ADD", "W", 0xFFFFFFFF, 2, 1)]
    [InlineData("EOR", "W", 0xFFFFFFFF, 128, 0xFFFFFF7F)]
    [InlineData("CLR", "X", 15, 5, 10)]
    [InlineData("SET", "W", 0x10, 0x3, 0x13)]
    [InlineData("SMAX", "W", 0x80000000, 1, 1)]
    [InlineData("SMAX", "X", 0x80000000, 1, 0x80000000)]
    [InlineData("SMIN", "W", 0, 0xFFFFFF80, 0xFFFFFF80)]
    [InlineData("SMIN", "X", -5, 3, -5)]
    [InlineData("UMAX", "W", 0x80000000, 1, 0x80000000)]
    [InlineData("UMAX", "X", -1, 1, -1)]
    [InlineData("UMIN", "W", 0, 0xFFFFFF80, 0)]
    [InlineData("UMIN", "X", 7, -1, 7)]
    public void An_atomic_operation_writes_old_op_rs(string op, string r, long before, long rs, long after)
    {
        string type = r == "X" ? "int64_t" : "uint32_t";
        foreach (string first in new[] { "NOP", $"STR {r}5,[X3]" })
        {
            var ld = Finals($"{type} x={before}; 0:X3=x; 0:X1={rs}; 0:X5={before};", $"{first}\nLD{op} {r}1,{r}2,[X3]");
            Assert.All(ld, f => Assert.Equal((after, before), (f.Memory[0], f.Registers[0][2])));
            var st = Finals($"{type} x={before}; 0:X3=x; 0:X1={rs}; 0:X5={before};", $"{first}\nST{op} {r}1,[X3]");
            Assert.All(st, f => Assert.Equal(after, f.Memory[0]));
        }
    }
}
