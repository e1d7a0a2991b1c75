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
        // Each batch takes a few milliseconds, so a campaign that went on after the fault would start all 500.
        var thrown = Assert.Throws<ModelFaultException>(() => Explorer.Random(1_000_000, 2, null, (from, to) =>
        {
            Interlocked.Increment(ref started);
            Thread.Sleep(2);
            if (from == 4000) throw fault;
            return new BatchResult();
        }, CancellationToken.None));
        Assert.Same(fault, thrown);
        Assert.True(Interlocked.Read(ref started) < 100, $"{started} of 500 batches started: the campaign went on after the fault");
    }
}
