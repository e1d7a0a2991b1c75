using System.Diagnostics;

namespace SmmuActors.Client.Commands;

/// <summary>
/// The peak resident memory of a process over one stretch of its work. Linux keeps a process's peak (VmHWM in
/// /proc/PID/status, which <see cref="Process.PeakWorkingSet64"/> reads) from its start; writing 5 to /proc/PID/clear_refs
/// sets it back to what is resident now (proc(5)), so after a reset the peak is the stretch's own. Where that file cannot
/// be written, the peak stays the process's since it started.
/// </summary>
public static class PeakMemory
{
    /// <summary>Starts a stretch of process <paramref name="pid"/> (this one by default): false if its peak could not be set back.</summary>
    public static bool Reset(int? pid = null)
    {
        try
        {
            File.WriteAllText($"/proc/{pid ?? Environment.ProcessId}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Process <paramref name="pid"/>'s (this one's by default) peak resident memory since its last reset or its start, in MiB.</summary>
    public static long MiB(int? pid = null)
    {
        using var process = pid is { } id ? Process.GetProcessById(id) : Process.GetCurrentProcess();
        return process.PeakWorkingSet64 >> 20;
    }
}
