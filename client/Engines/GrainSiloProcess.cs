using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SmmuActors.Grains.Hosting;

namespace SmmuActors.Client.Engines;

/// <summary>
/// One silo run as a child process (`dotnet SmmuActors.Silo.dll --instance N`, with `--redis` for a Redis cluster),
/// for bench-cluster and the tests that need real processes: started, watched (RSS), stopped or killed.
/// </summary>
public sealed class GrainSiloProcess : IDisposable
{
    readonly Process _process;
    readonly List<string> _output = [];

    public int Instance { get; }
    public int PortOffset { get; }
    public int Pid => _process.Id;
    public string Gateway => $"127.0.0.1:{LocalCluster.GatewayPort(Instance, PortOffset)}";

    /// <summary>IP:PORT the silo listens on for other silos, as it printed when ready.</summary>
    public string SiloEndpoint { get; private set; } = "";

    GrainSiloProcess(int instance, int portOffset, Process process)
    {
        Instance = instance;
        PortOffset = portOffset;
        _process = process;
    }

    /// <summary>
    /// Starts silo <paramref name="instance"/> of the loopback cluster and returns once it is ready to serve;
    /// <paramref name="environment"/> adds to the silo's environment (e.g. OTEL_EXPORTER_OTLP_ENDPOINT, to trace it).
    /// </summary>
    public static Task<GrainSiloProcess> StartAsync(int instance, int portOffset, CancellationToken cancel, IReadOnlyDictionary<string, string>? environment = null) =>
        LaunchAsync(instance, portOffset, ["--instance", instance.ToString()], cancel, environment);

    /// <summary>
    /// Starts a silo of the cluster kept in Redis at <paramref name="redis"/>, named <paramref name="instance"/>, on free
    /// ports of 127.0.0.1; <paramref name="extra"/> adds silo options (e.g. --dashboard PORT).
    /// </summary>
    public static Task<GrainSiloProcess> StartRedisAsync(int instance, string redis, CancellationToken cancel, params string[] extra) =>
        LaunchAsync(instance, 0, ["--instance", instance.ToString(), "--redis", redis, .. extra], cancel);

    static async Task<GrainSiloProcess> LaunchAsync(int instance, int portOffset, string[] args, CancellationToken cancel,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(BuiltDll("silo", "SmmuActors.Silo.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment[LocalCluster.PortOffsetVariable] = portOffset.ToString();
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var silo = new GrainSiloProcess(instance, portOffset, process);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => silo.Seen(e.Data, ready);
        process.ErrorDataReceived += (_, e) => silo.Seen(e.Data, ready);
        process.Exited += (_, _) =>
        {
            // Exited can come before the last redirected lines were handed over (the silo's reason among them);
            // WaitForExit() without a timeout returns once both streams reached their end.
            process.WaitForExit();
            ready.TrySetException(new InvalidOperationException($"silo {instance} exited before it was ready:\n{silo.Output}"));
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60), cancel);
            return silo;
        }
        catch
        {
            silo.Dispose();
            throw;
        }
    }

    void Seen(string? line, TaskCompletionSource ready)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (!line.StartsWith($"silo {Instance} ready: silo ")) return;
        // "silo N ready: silo IP:PORT, gateway ...": the silo-to-silo endpoint names this silo in the membership.
        SiloEndpoint = line[$"silo {Instance} ready: silo ".Length..].Split(',')[0];
        ready.TrySetResult();
    }

    /// <summary>Everything the silo printed so far, for a failure message.</summary>
    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>Resident set size now, in bytes.</summary>
    public long Rss()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>Processor time the silo has used so far.</summary>
    public TimeSpan Cpu()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The silo's exit code once it has exited of itself, with all it printed read.</summary>
    public async Task<int> ExitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the silo vanishes without a word to the cluster.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as Ctrl+C would: the silo leaves the cluster cleanly.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        Terminate();
        try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20)); }
        catch (TimeoutException) { Kill(); }
    }

    /// <summary>SIGTERM alone, with no kill after it as <see cref="StopAsync"/> has: how the silo stops is left to it.</summary>
    public void Terminate()
    {
        if (!_process.HasExited) _ = SendSignal(_process.Id, 15);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);

    /// <summary>
    /// A port offset at which the silo and gateway ports of <paramref name="instances"/> silos are all free,
    /// away from the standard ports, so a cluster started this way never meets one a user started.
    /// </summary>
    public static int FreePortOffset(int instances)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int offset = 1000 + Random.Shared.Next(0, 2000) * 10;
            if (Enumerable.Range(0, instances).All(i => Free(LocalCluster.SiloPort(i, offset)) && Free(LocalCluster.GatewayPort(i, offset)))) return offset;
        }
        throw new InvalidOperationException("no free port range found on 127.0.0.1");
    }

    static bool Free(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// The built dll of a project of this repository, in the configuration this process was built in
    /// (found from this assembly's bin/&lt;configuration&gt;/&lt;framework&gt; folder).
    /// </summary>
    public static string BuiltDll(string project, string dll)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = here.Name, configuration = here.Parent?.Name ?? "Debug";
        for (var dir = here; dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "SmmuActors.sln"))) continue;
            string path = Path.Combine(dir.FullName, project, "bin", configuration, framework, dll);
            return File.Exists(path) ? path : throw new FileNotFoundException($"{dll} is not built; run: dotnet build SmmuActors.sln -c {configuration}", path);
        }
        throw new FileNotFoundException($"SmmuActors.sln not found above {here.FullName}");
    }
}
