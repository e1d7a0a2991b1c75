using SmmuActors.Model.Sim;

namespace SmmuActors.Contracts;

/// <summary>
/// What a component sent and reported while handling each delivery of a call, flattened so a call's reply is a
/// handful of arrays however many runs it carries: delivery k sent <c>Sent[SentEnd[k-1]..SentEnd[k])</c>
/// (from 0 for k = 0), and likewise for its events and controls. The arrays are the component's buffers,
/// read by the fabric before its next call to the component, so they may be longer than the call's.
/// </summary>
[GenerateSerializer, Immutable, Alias("smmu.delivered")]
public sealed record Delivered(int[] SentEnd, Message[] Sent, int[] EventsEnd, ModelEvent[] Events, int[] ControlsEnd, Control[] Controls);
