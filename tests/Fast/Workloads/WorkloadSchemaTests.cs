using System.Text.Json;
using Json.Schema;
using SmmuActors.Model.Workloads;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Workloads;

/// <summary>scenarios/workload.schema.json says what the loader accepts: no more, no less.</summary>
[Trait("Suite", "Fast")]
public class WorkloadSchemaTests
{
    static readonly JsonSchema Schema = JsonSchema.FromFile(TestPaths.Scenario("workload.schema.json"));

    /// <summary>Every field and every op kind the loader knows, each at least once.</summary>
    const string Everything = """
        {
          "$schema": "workload.schema.json",
          "name": "everything", "description": "every field", "queueShift": 3,
          "iovas": [ { "name": "A", "mapped": true, "inTlb": true }, { "name": "B", "mapped": false } ],
          "vars": [ "x", "y" ],
          "threads": [
            { "name": "cpu0", "start": [0, 5], "program": [
              { "op": "unmap", "iova": "A" }, { "op": "map", "iova": "A" }, { "op": "tlbi", "iova": "B", "count": 2, "sync": false },
              { "op": "sync" }, { "op": "idle", "ticks": 3 }, { "op": "store", "var": "x", "value": 1 },
              { "op": "store-release", "var": "y", "value": -1 }, { "op": "load", "var": "x" }, { "op": "smp_mb" },
              { "op": "dma_mb" }, { "op": "dma_wmb" }, { "op": "store-slot", "slot": 7 },
              { "op": "writel", "register": "prod", "value": 1 }, { "op": "writel_relaxed", "register": "gbpa", "value": 0 } ] },
            { "name": "pm", "program": [ { "op": "suspend" }, { "op": "resume" } ] }
          ],
          "delays": { "min": 1, "max": 3, "longProbability": 0.1, "longMax": 50, "menu": [1, 30], "maxDelayed": 2 },
          "pins": [ { "from": "cpu0", "message": "store pte", "nth": 1, "delay": 40 } ],
          "bounds": { "maxSteps": 100, "maxStates": 1000 },
          "drainTimeout": 500
        }
        """;

    static EvaluationResults Evaluate(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    static string Errors(EvaluationResults r) => string.Join("; ",
        (r.Details ?? []).Where(d => d.Errors is not null && !d.EvaluationPath.ToString().Contains("/if")).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    public static TheoryData<string> Shipped() =>
        new(TestPaths.ShippedWorkloads());

    [Theory]
    [MemberData(nameof(Shipped))]
    public void EveryShippedWorkloadValidatesAndNamesTheSchema(string file)
    {
        var text = File.ReadAllText(TestPaths.Scenario(file));
        var r = Evaluate(text);
        Assert.True(r.IsValid, $"{file}: {Errors(r)}");
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("workload.schema.json", doc.RootElement.GetProperty("$schema").GetString());
    }

    [Fact]
    public void AWorkloadWithEveryFieldLoadsAndValidates()
    {
        WorkloadLoader.Parse(Everything, "everything.json");
        var r = Evaluate(Everything);
        Assert.True(r.IsValid, Errors(r));
    }

    /// <summary>The schema declares exactly the field names the everything-workload uses, so neither has one the other lacks.</summary>
    [Fact]
    public void TheSchemaDeclaresEveryFieldTheLoaderAcceptsAndNoOther()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(TestPaths.Scenario("workload.schema.json")));
        using var everything = JsonDocument.Parse(Everything);
        Assert.Equal(Names(everything.RootElement, schema: false).Order(), Names(schema.RootElement, schema: true).Order());
    }

    /// <summary>Property names of a document, or the names a schema declares under "properties".</summary>
    static HashSet<string> Names(JsonElement e, bool schema)
    {
        var names = new HashSet<string>();
        void Walk(JsonElement x)
        {
            if (x.ValueKind == JsonValueKind.Array) foreach (var y in x.EnumerateArray()) Walk(y);
            if (x.ValueKind != JsonValueKind.Object) return;
            foreach (var p in x.EnumerateObject())
            {
                if (!schema) names.Add(p.Name);
                else if (p.Name == "properties") foreach (var q in p.Value.EnumerateObject()) names.Add(q.Name);
                Walk(p.Value);
            }
        }
        Walk(e);
        return names;
    }

    [Theory]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ], "colour": 1 }""")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [ { "op": "fly" } ] } ] }""")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [ { "op": "idle" } ] } ] }""")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [ { "op": "sync", "ticks": 3 } ] } ] }""")]
    [InlineData("""{ "name": "w", "queueShift": 3, "vars": ["x"], "threads": [ { "name": "c", "program": [ { "op": "load", "var": "x", "value": 1 } ] } ] }""")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [ { "op": "writel", "register": "cr0ack", "value": 1 } ] } ] }""")]
    [InlineData("""{ "name": "w", "queueShift": 40, "threads": [ { "name": "c", "program": [] } ] }""")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [] }""")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ], "delays": { "menu": [1, 1] } }""")]
    [InlineData("""{ "name": "w", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ], "bounds": { "maxSteps": 5 } }""")]
    [InlineData("""{ "name": "a/b", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ] }""")]
    [InlineData("""{ "name": "..", "queueShift": 3, "threads": [ { "name": "c", "program": [] } ] }""")]
    public void WhatTheLoaderRejectsTheSchemaRejects(string json)
    {
        Assert.Throws<WorkloadException>(() => WorkloadLoader.Parse(json, "bad.json"));
        Assert.False(Evaluate(json).IsValid);
    }
}
