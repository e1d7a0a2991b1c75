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

    [Fact]
    public void ACounterexampleTypeErrorGivesItsFieldAndWhatItShouldHold()
    {
        var e = Assert.Throws<WorkloadException>(() => Counterexample.FromJson("{\n  \"kind\": 5\n}", "cx.json"));
        Assert.Equal("kind", e.Field);
        Assert.Equal("expected a string, found a number", e.Reason);
        Assert.DoesNotContain("SmmuActors.", e.Message);
    }
}
