using SmmuActors.Model.Exploration;

namespace SmmuActors.Tests.Search;

/// <summary>
/// A batch that fails on the campaign's worker threads reaches the caller as the fault the batch raised (naming its run),
/// not wrapped in the AggregateException of the threads that ran it, and the campaign stops taking new batches.
/// </summary>
[Trait("Suite", "Search")]
public sealed class ModelFaultCampaignTests
{
    [Fact]
    public void A_faulting_batch_reaches_the_caller_as_its_fault_and_stops_the_campaign()
    {
        var fault = new ModelFaultException("random run 4,007 of the campaign with seed 1", "--seed 9", new InvalidOperationException("bug"));
        long started = 0;
        var thrown = Assert.Throws<ModelFaultException>(() => Explorer.Random(1_000_000, 2, null, (from, to) =>
        {
            Interlocked.Increment(ref started);
            if (from == 4000) throw fault;
            return new BatchResult();
        }, CancellationToken.None));
        Assert.Same(fault, thrown);
        Assert.True(Interlocked.Read(ref started) < 500, $"{started} of 500 batches started after the fault");
    }
}
