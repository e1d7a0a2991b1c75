using System.Net;
using System.Net.Sockets;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// Whether a silo may listen where it is told to, asked before its host starts: a failed bind inside Orleans or Kestrel
/// is an unhandled exception after pages of logged stack traces, and Orleans binds its ports with SO_REUSEADDR, which
/// .NET on Linux turns into SO_REUSEPORT too, so a second silo on a running one's ports does not fail at all but shares
/// them, and clients land on either.
/// </summary>
public static class Ports
{
    /// <summary>Why <paramref name="endpoint"/> cannot be bound now, or null; port 0 asks whether the address is this host's.</summary>
    public static string? Unbindable(IPEndPoint endpoint)
    {
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // SO_REUSEADDR alone, as Linux defines it: a port left in TIME_WAIT by a silo just stopped can be bound, as the
            // silo's own listeners will, but not one any socket listens on. .NET's ReuseAddress adds SO_REUSEPORT, with
            // which it could be bound beside a port-sharing listener.
            if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));
            socket.Bind(endpoint);
            return null;
        }
        catch (SocketException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// This process's claims to <paramref name="endpoints"/>, held until disposed or the process ends (kill -9 too);
    /// <paramref name="heldElsewhere"/> is the first another process of this user holds, if any. A check that nothing
    /// listens there would let two silos started together both pass before either binds; a claim, a lock on a file named
    /// after the endpoint, cannot be held twice.
    /// </summary>
    public static IDisposable Claim(IPEndPoint[] endpoints, out IPEndPoint? heldElsewhere)
    {
        // Per user: port sharing needs the same user anyway, and another user's lock file could not be opened.
        string dir = Path.Combine(Path.GetTempPath(), $"smmu-actors-{Environment.UserName}");
        Directory.CreateDirectory(dir);
        var claims = new Claims();
        heldElsewhere = null;
        foreach (var endpoint in endpoints)
        {
            try
            {
                // FileShare.None is an exclusive flock on Linux.
                claims.Held.Add(new FileStream(Path.Combine(dir, $"port-{endpoint.Address}-{endpoint.Port}.lock"),
                    FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                heldElsewhere ??= endpoint;
            }
        }
        return claims;
    }

    sealed class Claims : IDisposable
    {
        public List<FileStream> Held { get; } = [];

        public void Dispose() => Held.ForEach(f => f.Dispose());
    }
}
