using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SmmuActors.Grains.Hosting;

namespace SmmuActors.Tests.Support;

/// <summary>
/// A redis-server of the test's own, on a free loopback port with its data in a temporary directory
/// (append-only file, so a restart keeps the data, as a production server would). Stopped and
/// removed on dispose. A missing redis-server fails the test: .ci/run installs it.
/// </summary>
public sealed class RedisServer : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("smmu-redis-").FullName;
    Process? _process;

    public int Port { get; } = FreePort.On(IPAddress.Loopback);

    public string Endpoint => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer();
        await server.LaunchAsync();
        return server;
    }

    async Task LaunchAsync()
    {
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _dir, "--save", "", "--appendonly", "yes" })
            info.ArgumentList.Add(a);
        try
        {
            _process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed; .ci/run installs it (apt-get install -y redis-server)", e);
        }
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!await AnswersAsync())
        {
            if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(20))
                throw new InvalidOperationException($"redis-server on port {Port} did not answer PING (exited: {_process.HasExited})");
            await Task.Delay(50);
        }
    }

    async Task<bool> AnswersAsync() => (await SendAsync("PING")).StartsWith("+PONG");

    /// <summary>One inline command; the reply's first line, or empty when the server does not answer.</summary>
    async Task<string> SendAsync(string command)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            var buffer = new byte[64];
            int n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return "";
        }
    }

    /// <summary>FLUSHALL: every key gone, as a server restarted without its data would have it.</summary>
    public async Task FlushAllAsync()
    {
        string reply = await SendAsync("FLUSHALL");
        if (!reply.StartsWith("+OK")) throw new InvalidOperationException($"FLUSHALL answered '{reply.TrimEnd()}'");
    }

    /// <summary>SHUTDOWN (the server syncs its append-only file and exits), then the same port and data again after <paramref name="down"/>.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        await SendAsync("SHUTDOWN");
        if (!_process!.WaitForExit(TimeSpan.FromSeconds(10))) throw new InvalidOperationException("redis-server did not shut down");
        await Task.Delay(down);
        await LaunchAsync();
    }

    /// <summary>SIGSTOP: the server keeps its connections and accepts new ones, but answers nothing, as a wedged one.</summary>
    public void Pause() => Signal("-STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("-CONT");

    void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process!.Id.ToString()]);
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill {signal} {_process.Id} exited {kill.ExitCode}");
    }

    /// <summary>SIGKILL: the server gone, its port closed, as a crashed one; <see cref="Dispose"/> still removes its data.</summary>
    public void Stop()
    {
        if (_process is null || _process.HasExited) return;
        // A paused server would not act on SIGKILL's exit until continued.
        Resume();
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Stop();
        _process?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
