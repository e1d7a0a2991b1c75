using SmmuActors.Tests.Support;
using SmmuActors.Model.Workloads;
using SmmuActors.Model.Sim;

namespace SmmuActors.Tests.Sim;

/// <summary>
/// Every preset on every shipped workload, two seeds each, gives the trace hash recorded in
/// golden-traces.txt. A refactoring that changes any delivery, choice or event changes a hash;
/// a change of the model's rules must re-record the file and say why in its commit.
/// </summary>
[Trait("Suite", "Fast")]
public sealed class GoldenTraceTests
{
    public static TheoryData<string, string, ulong, string> Recorded()
    {
        var data = new TheoryData<string, string, ulong, string>();
        foreach (var line in File.ReadLines(Path.Combine(TestPaths.RepoRoot, "tests", "Fast", "Sim", "golden-traces.txt")))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            var f = line.Split(' ');
            data.Add(f[0], f[1], ulong.Parse(f[2]), f[3]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Recorded))]
    public void RandomRunGivesItsRecordedTraceHash(string preset, string workload, ulong seed, string hash)
    {
        var model = Scenarios.Shipped($"{workload}.json", preset);
        Assert.Equal(hash, LocalEngine.Run(model, new RandomStrategy(seed, model.Workload.Delays)).TraceHash);
    }
}
