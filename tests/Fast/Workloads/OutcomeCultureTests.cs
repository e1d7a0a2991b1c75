using System.Globalization;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Workloads;

/// <summary>
/// An outcome's key is the same text whatever culture the process formats with: under sv_SE (with the runtime's invariant
/// mode turned off) -5 was written with U+2212, and a silo in that locale counted the same outcome under a second key.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class OutcomeCultureTests
{
    const string Workload = """
        { "name": "negative", "queueShift": 3, "vars": ["x", "y"],
          "threads": [
            { "name": "a", "program": [ { "op": "store", "var": "x", "value": -5 }, { "op": "load", "var": "y" } ] },
            { "name": "b", "program": [ { "op": "store", "var": "y", "value": 2 }, { "op": "load", "var": "x" } ] } ],
          "bounds": { "maxSteps": 5000, "maxStates": 100000 } }
        """;

    [Fact]
    public void A_negative_value_is_written_with_an_ascii_minus_under_any_culture()
    {
        var unicodeMinus = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        unicodeMinus.NumberFormat.NegativeSign = "\u2212";
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = unicodeMinus;
            Assert.Equal("\u22125", (-5).ToString());
            var outcomes = Enumerable.Range(1, 200).Select(seed => Scenarios.Random(Scenarios.Inline(Workload), (ulong)seed).Outcome).ToHashSet();
            Assert.Contains(outcomes, o => o.Contains("b:x=-5", StringComparison.Ordinal));
            Assert.DoesNotContain(outcomes, o => o.Contains('\u2212'));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
