using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using SmmuActors.Model.Sim;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Tests.Grains;

/// <summary>
/// A run's result crosses from a grain to a caller in the same process as the same object: copied through its surrogate,
/// a replay of two million steps held the lane's turn for 6 s. Between processes it is still serialized whole.
/// </summary>
[Collection(GrainClusterCollection.Name)]
[Trait("Suite", "Cluster")]
public sealed class RunResultCopyTests(GrainClusterFixture fixture)
{
    [Fact]
    public void A_run_result_is_copied_as_itself_and_serialized_whole()
    {
        var model = GrainScenarios.Spec("reviewer-race.json").Build();
        var run = LocalEngine.Run(model, Model.Exploration.RandomBatch.Strategy(model, 1, 0), recordTrace: true, recordChoices: true);
        var services = fixture.Client.ServiceProvider;
        Assert.Same(run, services.GetRequiredService<DeepCopier>().Copy(run));
        var serializer = services.GetRequiredService<Serializer>();
        var back = serializer.Deserialize<RunResult>(serializer.SerializeToArray(run))!;
        Assert.NotSame(run, back);
        Assert.Equal((run.TraceHash, run.Steps, run.Trace!.Entries.Count, run.Choices!.Count), (back.TraceHash, back.Steps, back.Trace!.Entries.Count, back.Choices!.Count));
    }
}
