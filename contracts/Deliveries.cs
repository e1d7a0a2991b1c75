using SmmuActors.Model.Sim;

namespace SmmuActors.Contracts;

/// <summary>
/// One round's deliveries to one component, one per run that has its next message for it: <c>Messages[k]</c>
/// goes to run <c>Runs[k]</c>, for k below <c>Count</c>. The arrays are the fabric's buffers, filled anew each
/// round once the call has returned: a round allocates nothing per delivery.
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.deliveries")]
public sealed record Deliveries(int Count, int[] Runs, Message[] Messages);
