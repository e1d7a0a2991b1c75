using SmmuActors.Model.Exploration;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Workloads;

/// <summary>Malformed JSON names one position, 1-based, whether it is a workload or a counterexample.</summary>
[Trait("Suite", "Fast")]
public class JsonSyntaxTests
{
    const string ThirdLineBroken = "{\n  \"name\": \"w\",\n  \"queueShift\": 3,,\n}\n";

    [Fact]
    public void AWorkloadErrorGivesOneLineNumber()
    {
        var e = Assert.Throws<WorkloadException>(() => WorkloadLoader.Parse(ThirdLineBroken, "bad.json"));
        Assert.Equal("(json, line 3, column 19)", e.Field);
        Assert.DoesNotContain("LineNumber", e.Message);
    }

    /// <summary>A file of white space or comments was called empty, which it is not.</summary>
    [Theory]
    [InlineData("", "the file is empty", true)]
    [InlineData("  \n\t\n", "the file holds no JSON, only white space or comments", true)]
    // A workload may hold comments; a counterexample, which the tool writes, may not.
    [InlineData("// a workload to come\n", "the file holds no JSON, only white space or comments", false)]
    public void A_file_with_no_JSON_says_whether_it_is_empty(string text, string reason, bool counterexampleToo)
    {
        Assert.Equal(reason, Assert.Throws<WorkloadException>(() => WorkloadLoader.Parse(text, "w.json")).Reason);
        if (counterexampleToo) Assert.Equal(reason, Assert.Throws<WorkloadException>(() => Counterexample.FromJson(text, "cx.json")).Reason);
    }

    [Fact]
    public void ACounterexampleTypeErrorGivesItsFieldAndWhatItShouldHold()
    {
        var e = Assert.Throws<WorkloadException>(() => Counterexample.FromJson("{\n  \"kind\": 5\n}", "cx.json"));
        Assert.Equal("kind", e.Field);
        Assert.Equal("expected a string, found a number", e.Reason);
        Assert.DoesNotContain("SmmuActors.", e.Message);
    }
}
