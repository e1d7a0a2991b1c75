namespace SmmuActors.Model.Sim;

/// <summary>A workload's scripted reordering: the Nth message of that kind from that source gets exactly this delay.</summary>
public sealed record Pin(byte Source, string Message, int Nth, long Delay);
