using SmmuActors.Tests.Support;
using System.Globalization;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Tests.Smmu;

/// <summary>The model's prod/cons arithmetic against every row computed with the driver's own helpers.</summary>
[Trait("Suite", "Fast")]
public class QueueVectorTests
{
    static uint Hex(string s) => uint.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [Fact]
    public void EveryVectorRowAgrees()
    {
        var lines = File.ReadAllLines(TestPaths.QueueVectors());
        Assert.Equal("shift,prod,cons,n,has_space,full,empty,consumed_prod_by_cons,inc_prod_n_keep_owned,inc_prod_n_keep_owned_and_stop", lines[0]);
        int rows = 0;
        var failures = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            var c = line.Split(',');
            var q = new ProdWord(int.Parse(c[0], CultureInfo.InvariantCulture));
            uint prod = Hex(c[1]), cons = Hex(c[2]), n = uint.Parse(c[3], CultureInfo.InvariantCulture);
            void Check(string what, object expected, object actual)
            {
                if (!expected.Equals(actual)) failures.Add($"{line}: {what} expected {expected} got {actual}");
            }
            Check("has_space", c[4] == "1", q.HasSpace(prod, cons, n));
            Check("full", c[5] == "1", q.Full(prod, cons));
            Check("empty", c[6] == "1", q.Empty(prod, cons));
            Check("consumed", c[7] == "1", q.Consumed(cons, prod));
            Check("inc keep owned", Hex(c[8]), q.IncProdN(prod, n, keepStop: false));
            Check("inc keep owned+stop", Hex(c[9]), q.IncProdN(prod, n, keepStop: true));
            rows++;
        }
        Assert.Equal(4800, rows);
        Assert.Empty(failures);
    }
}
