using System.Net;
using System.Net.Sockets;

namespace SmmuActors.Grains.Hosting;

/// <summary>A port on an address that nobody listens on now: for silos that need no fixed port (embedded, Redis cluster).</summary>
public static class FreePort
{
    /// <summary>The silo takes it a moment later; Orleans needs a concrete silo port (0 is refused).</summary>
    public static int On(IPAddress address)
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
