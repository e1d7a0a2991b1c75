using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Contracts;

/// <summary>One component of a running scenario (memory, the SMMU, or one thread: a CPU or the power manager).</summary>
[Alias("smmu.component")]
public interface IComponentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Hands <paramref name="m"/> to the component; returns what it sent and reported.
    /// <paramref name="seq"/> counts the deliveries this component had before in this run.
    /// </summary>
    [Alias("deliver")]
    Task<Delivered> Deliver(RunTicket ticket, int seq, Message m);

    /// <summary>The lane is done with this component: free its activation.</summary>
    [Alias("retire")]
    Task Retire();
}
