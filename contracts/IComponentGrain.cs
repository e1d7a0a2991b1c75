namespace SmmuActors.Contracts;

/// <summary>
/// One component of a scenario (memory, the SMMU, or one thread: a CPU or the power manager), once for
/// every run of a batch: the runs go in lockstep, and each call hands the component the deliveries waiting for it in one sweep.
/// </summary>
[Alias("smmu.component")]
public interface IComponentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Hands each message of <paramref name="deliveries"/> to the component of its run; returns what each sent and reported.
    /// <paramref name="call"/> counts the calls this component had before in this batch.
    /// </summary>
    [Alias("deliver")]
    Task<Delivered> Deliver(BatchTicket ticket, int call, Deliveries deliveries);

    /// <summary>The lane is done with this component: free its activation.</summary>
    [Alias("retire")]
    Task Retire();
}
