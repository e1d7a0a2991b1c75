using System.Runtime.InteropServices;
using SmmuActors.Client.Commands;

namespace SmmuActors.Tests.Cli;

/// <summary>Alone: another test's allocations in this process would move the peak this one reads.</summary>
[CollectionDefinition("peak memory", DisableParallelization = true)]
public sealed class PeakMemoryCollection;

/// <summary>
/// `bench` prints each search's peak resident memory, and `bench-cluster` each silo's over a campaign: after a reset,
/// memory the process held before and gave back is not in the peak (it was the process's peak so far, so a small search
/// after a large one showed the large one's).
/// </summary>
[Collection("peak memory")]
[Trait("Suite", "Cli")]
public sealed class PeakMemoryTests
{
    [Fact]
    public void A_reset_peak_leaves_out_memory_given_back_before_it()
    {
        const int size = 256 << 20;
        // Outside the managed heap, freed at once: glibc returns a block this large to the kernel when it is freed.
        var block = Marshal.AllocHGlobal(size);
        try
        {
            for (int at = 0; at < size; at += 4096) Marshal.WriteByte(block, at, 1);
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
        // By process id, as bench-cluster reads its silos'.
        int self = Environment.ProcessId;
        long held = PeakMemory.MiB(self);
        Assert.True(held >= 256, $"peak {held} MiB with 256 MiB touched");
        Assert.True(PeakMemory.Reset(self));
        long after = PeakMemory.MiB(self);
        Assert.True(after < held - 200, $"peak {after} MiB after the reset, {held} MiB before it");
    }
}
