using System.Runtime.InteropServices;

namespace SmmuActors.Model.Exploration;

/// <summary>
/// What a path names, links followed. The output writers replace a file by renaming a new one over it, which over a
/// device or a pipe (<c>--json /dev/null</c>, <c>/dev/stdout</c>) would put a regular file in its place, so they write
/// those through instead.
/// </summary>
public enum PathKind { None, File, Directory, Device, Pipe }

public static class PathKinds
{
    const int AtFdCwd = -100, StatxType = 0x1, StatxSize = 256, ModeOffset = 28;
    const int TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, Dir = 0x4000, BlockDevice = 0x6000, Regular = 0x8000, Socket = 0xC000;

    /// <summary>
    /// The kind of <paramref name="path"/>'s final target; <see cref="PathKind.None"/> when nothing is there (a dangling
    /// link too). .NET reports a device or a FIFO as a plain file, so on Linux this asks statx, whose layout is the same
    /// on every architecture; elsewhere it tells files from directories only.
    /// </summary>
    public static PathKind Of(string path)
    {
        var buffer = new byte[StatxSize];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return PathKind.None;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return Directory.Exists(path) ? PathKind.Directory : File.Exists(path) ? PathKind.File : PathKind.None;
        }
        return (BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask) switch
        {
            Regular => PathKind.File,
            Dir => PathKind.Directory,
            CharDevice or BlockDevice => PathKind.Device,
            Fifo or Socket => PathKind.Pipe,
            _ => PathKind.File,
        };
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    static extern int Statx(int dirfd, string path, int flags, uint mask, byte[] buffer);
}
