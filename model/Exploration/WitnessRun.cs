namespace SmmuActors.Model.Exploration;

/// <summary>
/// What the run that gave a random campaign's witness showed: its trace hash, its length and the detail of its first
/// violation of the witness's kind. A stop leaves no time to replay a witness (one run of a long workload takes seconds),
/// so a stopped investigation saves the witness from these as found.
/// </summary>
public sealed record WitnessRun(string TraceHash, long Steps, string Detail);
