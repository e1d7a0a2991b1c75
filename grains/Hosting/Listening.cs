using System.Net;
using System.Net.Sockets;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// Whether something accepts connections where a silo or client is about to connect: Orleans and the Redis client
/// retry a peer that is not there for a long while, logging a stack trace each time, so silo and client ask first.
/// </summary>
public static class Listening
{
    /// <summary>Whether <paramref name="endpoint"/> accepts a connection within a second.</summary>
    public static async Task<bool> AtAsync(IPEndPoint endpoint, CancellationToken cancel)
    {
        using var socket = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancel.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Whether some address HOST resolves to accepts a connection on PORT (<paramref name="redis"/> is HOST:PORT, already checked).</summary>
    public static async Task<bool> AtRedisAsync(string redis, CancellationToken cancel)
    {
        int colon = redis.LastIndexOf(':');
        IPAddress[] addresses;
        try { addresses = await Dns.GetHostAddressesAsync(redis[..colon], cancel); }
        catch (SocketException) { return false; }
        int port = int.Parse(redis[(colon + 1)..]);
        var open = await Task.WhenAll(addresses.Select(a => AtAsync(new IPEndPoint(a, port), cancel)));
        return open.Any(o => o);
    }
}
