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
    [InlineData("""{ "name": "w", "queueShift": 16, "iovas": [ { "name": "A" } ], "threads": [ { "name": "c", "program": [ { "op": "tlbi", "iova": "A", "count": 65 } ] } ] }""", "threads[0].program[0].count", "65 is out of range [1, 64]: commands in one batch, of which the driver issues at most 64 (CMDQ_BATCH_ENTRIES)")]
    // Below the range, and past a long, the range said [1, 9223372036854775807] where the schema and the driver say 64.
    [InlineData("""{ "name": "w", "queueShift": 16, "iovas": [ { "name": "A" } ], "threads": [ { "name": "c", "program": [ { "op": "tlbi", "iova": "A", "count": 0 } ] } ] }""", "threads[0].program[0].count", "0 is out of range [1, 64]: commands")]
    [InlineData("""{ "name": "w", "queueShift": 16, "iovas": [ { "name": "A" } ], "threads": [ { "name": "c", "program": [ { "op": "tlbi", "iova": "A", "count": 9223372036854775808 } ] } ] }""", "threads[0].program[0].count", "9223372036854775808 is out of range [1, 64]: commands")]
    [InlineData("""{ "name": "w", "queueShift": 16, "iovas": [ { "name": "A" } ], "threads": [ { "name": "c", "program": [ { "op": "tlbi", "iova": "A", "count": 9223372036854775807 } ] } ] }""", "threads[0].program[0].count", "9223372036854775807 is out of range [1, 64]: commands in one batch")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "smmu", "program": [] } ] }""", "threads[0].name", "names a component")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ], "pins": [ { "from": "c", "message": "store nowhere", "delay": 5 } ] }""", "pins[0].message", "not a message name")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ], "delays": { "min": 5, "max": 2 } }""", "delays.max", "below delays.min")]
    [InlineData("""{ "name": "w", "queueShift": 3, "iovas": [ { "name": "A" } ], "threads": [ { "name": "a", "program": [ { "op": "map", "iova": "A" } ] }, { "name": "b", "program": [ { "op": "unmap", "iova": "A" } ] } ] }""", "threads[1].program[0].iova", "one thread owns an IOVA")]
    [InlineData("""{ "name": "w", "queueShift": "three", "threads": [] }""", "queueShift", "expected an integer")]
    // Past a long's range: said so, not "expected an integer" as if it were not one.
    [InlineData("""{ "name": "w", "queueShift": 9223372036854775808, "threads": [] }""", "queueShift", "9223372036854775808 is out of range [1, 16]")]
    [InlineData("""{ "name": "w", "queueShift": 2.5, "threads": [] }""", "queueShift", "expected an integer, not 2.5")]
    [InlineData("""{ "name": "w", "queueShift": 3, "queueShift": 4, "threads": [] }""", "queueShift", "declared twice")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "name": "d", "program": [] } ] }""", "threads[0].name", "declared twice")]
    [InlineData("""{ "name": "../../escaped", "queueShift": 3, "threads": [] }""", "name", "names counterexample files")]
    [InlineData("""{ "name": "a/b", "queueShift": 3, "threads": [] }""", "name", "names counterexample files")]
    [InlineData("""{ "name": ".hidden", "queueShift": 3, "threads": [] }""", "name", "names counterexample files")]
    // 300 characters made a counterexample's file name longer than Linux's 255 bytes: the search ran, then failed (exit 4).
    [InlineData("""{ "name": "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww", "queueShift": 3, "threads": [] }""", "name", "is 129 characters; at most 128 (it names counterexample files)")]
    // An unmapped IOVA in the TLB would start the search with the stale entry the oracle looks for (a mutation audit found
    // that without this check such a workload loaded, and as-posted on it said NO VIOLATION).
    [InlineData("""{ "name": "w", "queueShift": 3, "iovas": [ { "name": "A", "mapped": false, "inTlb": true } ], "threads": [ { "name": "c", "program": [] } ] }""", "iovas[0].inTlb", "an unmapped IOVA cannot start in the TLB")]
    [InlineData("""{ "name": "w", "queueShift": 3, "iovas": [ { "name": "A" }, { "name": "B" }, { "name": "A" } ], "threads": [ { "name": "c", "program": [] } ] }""", "iovas[2].name", "IOVA 'A' is declared twice")]
    [InlineData("""{ "name": "w", "queueShift": 3, "iovas": [ { "name": "A", "mapped": "yes" } ], "threads": [ { "name": "c", "program": [] } ] }""", "iovas[0].mapped", "expected true or false")]
    [InlineData("""{ "name": "w", "queueShift": 3, "iovas": 5, "threads": [ { "name": "c", "program": [] } ] }""", "iovas", "expected an array")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ], "delays": { "longProbability": 1.5 } }""", "delays.longProbability", "expected a number in [0, 1]")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ], "delays": { "max": 10, "longMax": 5 } }""", "delays.longMax", "5 is below delays.max 10")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ], "delays": { "menu": [] } }""", "delays.menu", "needs at least one delay")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ], "delays": { "menu": [ 2, 2 ] } }""", "delays.menu", "delays must be distinct")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ], "pins": [ { "from": "d", "message": "store prod", "delay": 5 } ] }""", "pins[0].from", "no thread or component named 'd'")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [ { "op": "load", "var": "v" } ] } ] }""", "threads[0].program[0].var", "no variable named 'v' in vars")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [ { "op": "writel", "register": "cr1", "value": 1 } ] } ] }""", "threads[0].program[0].register", "'cr1' is not a writable SMMU register")]
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

    /// <summary>The longest name the loader takes leaves every counterexample's file name within Linux's 255 bytes.</summary>
    [Fact]
    public void The_longest_name_names_counterexample_files_Linux_can_hold() =>
        Assert.InRange(SmmuActors.Model.Exploration.Counterexample.LongestFileName, WorkloadLoader.NameMax, SmmuActors.Model.Exploration.AtomicFile.NameMax);

    /// <summary>The counts the engine's one-byte actor ids and two-byte IOVA ids hold, one past each.</summary>
    [Theory]
    [InlineData(61, 0, "threads", "at most 60 threads")]
    [InlineData(1, 65536, "iovas", "at most 65535 IOVAs")]
    public void TooManyThreadsOrIovasAreRefused(int threads, int iovas, string field, string reason)
    {
        string iovaList = string.Join(", ", Enumerable.Range(0, iovas).Select(i => $$"""{ "name": "I{{i}}" }"""));
        string threadList = string.Join(", ", Enumerable.Range(0, threads).Select(i => $$"""{ "name": "c{{i}}", "program": [] }"""));
        var e = Bad($$"""{ "name": "w", "queueShift": 3, "iovas": [ {{iovaList}} ], "threads": [ {{threadList}} ] }""");
        Assert.Equal(field, e.Field);
        Assert.Equal(reason, e.Reason);
    }

    /// <summary>A saved counterexample given as a workload was refused as "kind: unknown field"; it is said to be one, and what runs it.</summary>
    [Fact]
    public void A_counterexample_given_as_a_workload_is_said_to_be_one()
    {
        string file = Path.Combine(TestPaths.RepoRoot, "tests", "Search", "counterexamples", "storm-msi-lost-command.json");
        var e = Assert.Throws<WorkloadException>(() => WorkloadLoader.LoadFile(file));
        Assert.Equal($"{file}: (the whole file): a counterexample, not a workload: `replay FILE` runs it, and its workload is in its workloadText", e.Message);
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
