using System.Diagnostics;

namespace SmmuActors.Client.Commands;

/// <summary>
/// The peak resident memory of one stretch of this process's work. Linux keeps a process's peak (VmHWM in
/// /proc/self/status, which <see cref="Process.PeakWorkingSet64"/> reads) from its start; writing 5 to
/// /proc/self/clear_refs sets it back to what is resident now (proc(5)), so after a reset the peak is the stretch's own.
/// Where that file cannot be written, the peak stays the process's.
/// </summary>
public static class PeakMemory
{
    /// <summary>Starts a stretch: false if the peak could not be set back, and so stays the process's.</summary>
    public static bool Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>The peak resident memory since the last reset (or since the process started), in MiB.</summary>
    public static long MiB()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 >> 20;
    }
}
