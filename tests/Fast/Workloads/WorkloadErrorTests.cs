using SmmuActors.Tests.Support;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Workloads;

/// <summary>Bad workloads and variants fail with the file, the field and the reason.</summary>
[Trait("Suite", "Fast")]
public class WorkloadErrorTests
{
    const string Good = """
        { "name": "w", "queueShift": 3, "iovas": [ { "name": "A" } ],
          "threads": [ { "name": "cpu0", "program": [ { "op": "unmap", "iova": "A" } ] } ] }
        """;

    static WorkloadException Bad(string json) => Assert.Throws<WorkloadException>(() => WorkloadLoader.Parse(json, "bad.json"));

    [Fact]
    public void TheGoodOneLoads() => Assert.Equal("w", WorkloadLoader.Parse(Good, "good.json").Name);

    [Fact]
    public void TheSchemaKeyIsIgnored() =>
        Assert.Equal("w", WorkloadLoader.Parse("""{ "$schema": "workload.schema.json", "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ] }""", "good.json").Name);

    [Theory]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "cpu0", "program": [ { "op": "fly" } ] } ] }""", "threads[0].program[0].op", "unknown op 'fly'")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "cpu0", "program": [ { "op": "unmap", "iova": "Z" } ] } ] }""", "threads[0].program[0].iova", "no IOVA named 'Z'")]
    [InlineData("""{ "name": "w", "queueShift": 40, "threads": [] }""", "queueShift", "out of range")]
    [InlineData("""{ "name": "w", "threads": [] }""", "queueShift", "required field is missing")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [], "colour": 1 }""", "colour", "unknown field")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [] }""", "threads", "at least one thread")]
    [InlineData("""{ "name": "w", "queueShift": 1, "iovas": [ { "name": "A" } ], "threads": [ { "name": "c", "program": [ { "op": "tlbi", "iova": "A", "count": 2 } ] } ] }""", "threads[0].program[0].count", "exceed the queue")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "smmu", "program": [] } ] }""", "threads[0].name", "names a component")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ], "pins": [ { "from": "c", "message": "store nowhere", "delay": 5 } ] }""", "pins[0].message", "not a message name")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ], "delays": { "min": 5, "max": 2 } }""", "delays.max", "below delays.min")]
    [InlineData("""{ "name": "w", "queueShift": 3, "iovas": [ { "name": "A" } ], "threads": [ { "name": "a", "program": [ { "op": "map", "iova": "A" } ] }, { "name": "b", "program": [ { "op": "unmap", "iova": "A" } ] } ] }""", "threads[1].program[0].iova", "one thread owns an IOVA")]
    [InlineData("""{ "name": "w", "queueShift": "three", "threads": [] }""", "queueShift", "expected an integer")]
    [InlineData("""{ "name": "w", "queueShift": 3, "queueShift": 4, "threads": [] }""", "queueShift", "declared twice")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "name": "d", "program": [] } ] }""", "threads[0].name", "declared twice")]
    [InlineData("""{ "name": "../../escaped", "queueShift": 3, "threads": [] }""", "name", "names counterexample files")]
    [InlineData("""{ "name": "a/b", "queueShift": 3, "threads": [] }""", "name", "names counterexample files")]
    [InlineData("""{ "name": ".hidden", "queueShift": 3, "threads": [] }""", "name", "names counterexample files")]
    [InlineData("""[ 1 ]""", "(the whole file)", "expected an object")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [ 5 ] } ] }""", "threads[0].program[0]", "expected an object")]
    [InlineData("""{ "$schema": 5, "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ] }""", "$schema", "expected a non-empty string")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "pm", "program": [ { "op": "resume" } ] } ] }""", "threads[0].program[0]", "a resume with no suspend before it")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "pm", "program": [ { "op": "suspend" }, { "op": "suspend" }, { "op": "resume" } ] } ] }""", "threads[0].program[1]", "a suspend while this thread's last suspend has not been resumed")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "pm", "program": [ { "op": "suspend" } ] }, { "name": "pm2", "program": [ { "op": "suspend" }, { "op": "resume" } ] } ] }""", "threads", "suspend and resume in more than one thread")]
    public void NamesTheFieldAndTheReason(string json, string field, string reason)
    {
        var e = Bad(json);
        Assert.Equal("bad.json", e.File);
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Reason);
    }

    [Fact]
    public void BrokenJsonNamesTheLine()
    {
        var e = Bad("{\n \"name\": \"w\",\n \"queueShift\": 3,,\n}");
        Assert.StartsWith("(json, line", e.Field);
    }

    [Fact]
    public void MissingFileIsAnError() =>
        Assert.Throws<WorkloadException>(() => WorkloadLoader.LoadFile("/nonexistent/workload.json"));

    [Theory]
    [InlineData("no-such-preset", new string[0], "unknown variant")]
    [InlineData("as-posted", new[] { "stop-gate" }, "expected NAME=VALUE")]
    [InlineData("as-posted", new[] { "warp=on" }, "unknown switch 'warp'")]
    [InlineData("as-posted", new[] { "stop-gate=sometimes" }, "takes cas|outside|none")]
    public void BadVariantsSayWhy(string preset, string[] set, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => Variants.Build(preset, set));
        Assert.Contains(reason, e.Message);
    }
}
