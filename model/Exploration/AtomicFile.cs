using SmmuActors.Model.Sim;
using SmmuActors.Model.Smmu;
using SmmuActors.Model.Workloads;

namespace SmmuActors.Model.Exploration;

/// <summary>Writes to a temporary file beside the target and renames it, so a reader never sees half a file.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(tmp, text);
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            // A failed write leaves nothing behind, not even the temporary file.
            File.Delete(tmp);
            throw;
        }
    }
}
