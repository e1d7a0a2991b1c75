using System.Diagnostics;

namespace SmmuActors.Client.Commands;

/// <summary>What this process has cost so far: its peak resident memory (MiB) and processor seconds since it started.</summary>
public readonly record struct ProcessFootprint(long PeakResidentMiB, double CpuSeconds)
{
    public static ProcessFootprint Now()
    {
        using var self = Process.GetCurrentProcess();
        return new ProcessFootprint(PeakMemory.MiB(), self.TotalProcessorTime.TotalSeconds);
    }
}
