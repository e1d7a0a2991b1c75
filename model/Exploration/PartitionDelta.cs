using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// What one partition of the partitioned search adds to the coordinator's graph since its last report, packed
/// (<see cref="PackedWriter"/>): each expanded state's waits (local id, a byte per thread, whether it was reduced, its
/// hash; a state the cycle proviso expands again is reported again, no longer reduced), each edge into one of its
/// states (sending partition, local id there, local id here, thread it completes + 1, thread it times out + 1, pick,
/// choices), each violation found on a transition out of one of its states (kind, local id, pick, choices), and its
/// final states judged. <see cref="States"/>, <see cref="Coverage"/> and the cut flags are totals; <see cref="Steps"/>
/// (transitions explored) is this report's share.
/// </summary>
public sealed record PartitionDelta(int Partition, int States, byte[] Waits, byte[] Edges, byte[] Detected, int[] FinalIds, RunResult[] Finals,
    ulong Coverage, long Steps, bool CutAtDepth, bool CutAtStates)
{
    /// <summary>Bytes of the packed graph and verdicts this report carries (its final states' results aside).</summary>
    public long Bytes => Waits.Length + Edges.Length + Detected.Length + 4L * FinalIds.Length;

    public static PartitionDelta Empty(int partition) => new(partition, 0, [], [], [], [], [], 0, 0, false, false);

    /// <summary>This report followed by a later one of the same partition.</summary>
    public PartitionDelta Then(PartitionDelta later) => new(Partition, later.States, [.. Waits, .. later.Waits], [.. Edges, .. later.Edges],
        [.. Detected, .. later.Detected], [.. FinalIds, .. later.FinalIds], [.. Finals, .. later.Finals], Coverage | later.Coverage,
        Steps + later.Steps, CutAtDepth || later.CutAtDepth, CutAtStates || later.CutAtStates);
}
