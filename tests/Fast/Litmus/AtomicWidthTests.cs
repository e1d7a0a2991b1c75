using SmmuActors.Model.Litmus;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// A 4-byte atomic reads, compares and writes the location's low 32 bits, as the Arm ARM's CAS, SWP and LDADD of a W
/// register do (and herd's AArch64.ASL CAS04): whatever the upper bits of the value the explorer holds, an <c>int</c>
/// initial value sign-extended or a 64-bit one.
/// </summary>
[Trait("Suite", "Fast")]
public class AtomicWidthTests
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
}
