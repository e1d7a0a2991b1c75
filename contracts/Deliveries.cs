using SmmuActors.Model.Sim;

namespace SmmuActors.Contracts;

/// <summary>
/// The deliveries waiting for one component in a sweep, one per run whose next message is for it: <c>Messages[k]</c>
/// goes to run <c>Runs[k]</c>, for k below <c>Count</c>. The arrays are the fabric's buffers, filled anew each
/// sweep once the call has returned: a call allocates nothing per delivery.
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.deliveries")]
public sealed record Deliveries(int Count, int[] Runs, Message[] Messages);
