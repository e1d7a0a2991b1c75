using System.Diagnostics;

namespace SmmuActors.Client.Commands;

/// <summary>
/// What this process has spent so far: processor time, bytes allocated on the managed heap, collections that went
/// beyond gen0 (each one counted by <see cref="GC.CollectionCount"/> of gen1, which a gen2 collection also counts), and
/// time paused for collections. The engines run in this process (the grain engine in its embedded silo), so the
/// difference of two readings is what a campaign cost, the silo's own upkeep included.
/// </summary>
public readonly record struct ProcessCost(TimeSpan Cpu, long Allocated, int OlderCollections, TimeSpan Paused)
{
    public static ProcessCost Now()
    {
        using var self = Process.GetCurrentProcess();
        return new(self.TotalProcessorTime, GC.GetTotalAllocatedBytes(), GC.CollectionCount(1), GC.GetTotalPauseDuration());
    }

    public ProcessCost Since(ProcessCost before) =>
        new(Cpu - before.Cpu, Allocated - before.Allocated, OlderCollections - before.OlderCollections, Paused - before.Paused);
}
