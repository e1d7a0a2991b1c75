using SmmuActors.Model.Sim;

namespace SmmuActors.Contracts;

/// <summary>One round's deliveries to one component, one per run that has its next message for it: <c>Messages[k]</c> goes to run <c>Runs[k]</c>.</summary>
[GenerateSerializer, Immutable, Alias("smmu.deliveries")]
public sealed record Deliveries(int[] Runs, Message[] Messages);
