using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;

namespace SmmuActors.Contracts;

/// <summary>What a component sent and reported while handling one message.</summary>
[GenerateSerializer, Immutable, Alias("smmu.delivered")]
public sealed record Delivered(Message[] Sent, ModelEvent[] Events, Control[] Controls);
