using SmmuActors.Model.Litmus;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Litmus;

/// <summary>
/// The expected-verdict file: its format, and the comparison as the catalogue means it (Allowed: some
/// reachable state satisfies the proposition; Forbidden: none does; Required: all do), with every
/// mismatch and every unlisted test reported by name.
/// </summary>
[Trait("Suite", "Fast")]
public class ExpectedVerdictsTests
{
    static readonly LitmusTest Mp = LitmusParser.Parse("""
        AArch64 MP
        { 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }
         P0          | P1          ;
         MOV W0,#1   | LDR W0,[X1] ;
         STR W0,[X1] | LDR W2,[X3] ;
         MOV W2,#1   |             ;
         STR W2,[X3] |             ;
        exists (1:X0=1 /\ 1:X2=0)
        """, "mp.litmus");

    static LitmusFinal Final(long x0, long x2)
    {
        var r1 = new long[32];
        (r1[0], r1[2]) = (x0, x2);
        return new LitmusFinal([new long[32], r1], [1, 1]);
    }

    static readonly LitmusVerdict Witnessed = LitmusVerdict.Of(Mp, new([Final(0, 0), Final(1, 0), Final(1, 1)], 9, null));
    static readonly LitmusVerdict Unwitnessed = LitmusVerdict.Of(Mp, new([Final(0, 0), Final(1, 1)], 9, null));
    static readonly LitmusVerdict Always = LitmusVerdict.Of(Mp, new([Final(1, 0)], 9, null));

    static ExpectedVerdicts Expect(string kind) => ExpectedVerdicts.Parse($"# a comment\n\nMP   {kind}   # kinds.txt: MP\n", "expected.txt");

    [Fact]
    public void ReadsNamesKindsAndCitations()
    {
        var e = ExpectedVerdicts.Parse("# header\nMP Allowed # herdtools7 kinds.txt\n\nSB+dmb.sys\tForbidden\r\nCoWW+forall Required #x\n", "e.txt");
        Assert.Equal(
            [("MP", ExpectedKind.Allowed, "herdtools7 kinds.txt", 2), ("SB+dmb.sys", ExpectedKind.Forbidden, "", 4), ("CoWW+forall", ExpectedKind.Required, "x", 5)],
            e.All.Select(v => (v.Name, v.Kind, v.Citation, v.Line)));
    }

    [Fact]
    public void AgreeingVerdictsAreNoMismatch()
    {
        Assert.Null(Expect("Allowed").Compare(Witnessed));
        Assert.Null(Expect("Allowed").Compare(Always));
        Assert.Null(Expect("Forbidden").Compare(Unwitnessed));
        Assert.Null(Expect("Required").Compare(Always));
    }

    [Fact]
    public void EachDisagreementSaysBothVerdictsAndAState()
    {
        var forbidden = Expect("Forbidden").Compare(Witnessed)!;
        Assert.Equal(("MP", "Forbidden", "Allowed"), (forbidden.Name, forbidden.Expected, forbidden.Explored));
        Assert.Equal("MISMATCH MP: expected Forbidden, explored Allowed (reachable final state 1:X0=1; 1:X2=0;)", forbidden.ToString());

        var allowed = Expect("Allowed").Compare(Unwitnessed)!;
        Assert.Equal(("Allowed", "Forbidden"), (allowed.Expected, allowed.Explored));
        Assert.Contains("no reachable final state satisfies the condition", allowed.Reason);

        var required = Expect("Required").Compare(Witnessed)!;
        Assert.Equal(("Required", "Allowed"), (required.Expected, required.Explored));
        Assert.Contains("reachable final state 1:X0=0; 1:X2=0; does not satisfy", required.Reason);

        Assert.NotNull(Expect("Required").Compare(Unwitnessed));
        Assert.Equal("Required", Expect("Forbidden").Compare(Always)!.Explored);
    }

    [Fact]
    public void ATestTheFileDoesNotListIsAMismatch()
    {
        var m = ExpectedVerdicts.Parse("SB Allowed\n", "e.txt").Compare(Witnessed)!;
        Assert.Equal("MP", m.Name);
        Assert.Contains("does not list", m.Reason);
    }

    [Theory]
    [InlineData("MP Allowed\nSB Sometimes\n", 2, "SB Sometimes")]
    [InlineData("MP Allowed\nMP allowed\n", 2, "MP allowed")]
    [InlineData("MP\n", 1, "MP")]
    [InlineData("MP Allowed extra\n", 1, "MP Allowed extra")]
    [InlineData("MP Allowed\n\nMP Forbidden\n", 3, "MP")]
    [InlineData("MP 1\n", 1, "MP 1")]
    public void AMalformedLineNamesFileAndLine(string text, int line, string construct)
    {
        var e = Assert.Throws<LitmusException>(() => ExpectedVerdicts.Parse(text, "e.txt"));
        Assert.Equal(("e.txt", line, construct), (e.File, e.Line, e.Construct));
    }

    [Fact]
    public void TheCorpusExpectationsCiteASourceForEveryTest()
    {
        var expected = ExpectedVerdicts.Load(TestPaths.LitmusExpected);
        var names = TestPaths.LitmusCorpus().Select(Path.GetFileNameWithoutExtension).ToHashSet();
        Assert.Equal(names.Order(StringComparer.Ordinal), expected.All.Select(v => v.Name).Order(StringComparer.Ordinal));
        Assert.All(expected.All, v => Assert.Matches(@"^herdtools7 catalogue/(aarch64|aarch64-pick|aarch64-cas)/tests/kinds\.txt: \S+ (Allowed|Forbidden|Required)$|^herdtools7 catalogue/aarch64/cats/aarch64\.cat \(no kinds\.txt entry\): .+$|^herdtools7 herd/libdir/aarch64\.cat \(no kinds\.txt entry\): .*(DSB-ob|rmw|pob|pick-ctrl-dep|dob|lws).*$|^herdtools7 herd/event\.ml (riscv_sc|swp_or_amo) \(no kinds\.txt entry\): .+$|^herdtools7 herd/AArch64Sem\.ml \(no kinds\.txt entry\): .+$|^herdtools7 herd/tests/instructions/AArch64\.ASL/\S+\.litmus\.expected: Observation \S+ (Always|Never|Sometimes)( .*)?$", v.Citation));
        // An .expected file's observation is herd's verdict: Never is Forbidden, Always Required (forall) or Allowed, Sometimes Allowed.
        Assert.All(expected.All.Where(v => v.Citation.Contains(".litmus.expected: ")), v =>
        {
            string observed = v.Citation.Split($"AArch64.ASL/{v.Name}.litmus.expected: Observation {v.Name} ")[1].Split(' ')[0];
            Assert.Contains(v.Kind.ToString(), observed switch { "Never" => ["Forbidden"], "Always" => ["Required", "Allowed"], _ => (string[])["Allowed"] });
        });
        Assert.All(expected.All.Where(v => v.Citation.Contains("kinds.txt: ")), v => Assert.EndsWith($"kinds.txt: {v.Name} {v.Kind}", v.Citation));
    }
}
