using System.Diagnostics;
using System.Text.RegularExpressions;
using SmmuActors.Client.Engines;

namespace SmmuActors.Tests.Support;

/// <summary>
/// Network namespaces on a private bridge, redis-server in one of them, made by scripts/netns-cluster.sh
/// under a name with this process's id (so concurrent runs never meet) and removed on dispose with
/// everything still running in them. Needs root: without it <see cref="UpAsync"/> fails with the reason.
/// </summary>
public sealed partial class NetnsCluster : IDisposable
{
    const string Prefix = "smmut";
    static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(30);

    readonly List<NetnsSilo> _silos = [];

    public string Name { get; }

    /// <summary>IP:PORT of the redis-server, on the bridge's subnet.</summary>
    public string Redis { get; private set; } = "";

    /// <summary>The namespaces for silos and the address each has, in order.</summary>
    public List<(string Namespace, string Address)> Hosts { get; } = [];

    /// <summary>What the script printed: one line per thing it made.</summary>
    public string Made { get; private set; } = "";

    NetnsCluster(string name) => Name = name;

    public static async Task<NetnsCluster> UpAsync(int hosts)
    {
        await RemoveStaleAsync();
        var cluster = new NetnsCluster($"{Prefix}{Environment.ProcessId}");
        var (exit, output) = await ScriptAsync("up", "--name", cluster.Name, "--hosts", hosts.ToString());
        cluster.Made = output;
        try
        {
            if (exit != 0) throw new InvalidOperationException($"scripts/netns-cluster.sh up failed (exit {exit}); it needs root and iproute2:\n{output}");
            foreach (var line in output.Split('\n'))
            {
                var f = line.Split(' ');
                if (f is ["redis", _, var endpoint]) cluster.Redis = endpoint;
                else if (f is ["host", var ns, var ip]) cluster.Hosts.Add((ns, ip));
            }
            if (cluster.Redis == "" || cluster.Hosts.Count != hosts) throw new InvalidOperationException($"unexpected output of scripts/netns-cluster.sh up:\n{output}");
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Starts silo <paramref name="instance"/> inside host namespace <paramref name="host"/>, bound to that namespace's address only.</summary>
    public async Task<NetnsSilo> StartSiloAsync(int host, int instance, CancellationToken cancel)
    {
        var (ns, ip) = Hosts[host];
        var silo = NetnsSilo.Start(ns, instance, ["--instance", instance.ToString(), "--redis", Redis, "--address", ip]);
        _silos.Add(silo);
        await silo.Ready.WaitAsync(TimeSpan.FromSeconds(60), cancel);
        return silo;
    }

    /// <summary>Kills the silos, then the script's down: whatever else runs in the namespaces, the namespaces, the bridge.</summary>
    public void Dispose()
    {
        foreach (var s in _silos) s.Dispose();
        var (exit, output) = ScriptAsync("down", "--name", Name).GetAwaiter().GetResult();
        if (exit != 0) throw new InvalidOperationException($"scripts/netns-cluster.sh down --name {Name} failed (exit {exit}):\n{output}");
    }

    /// <summary>Removes what an earlier test process left behind when it was killed before its dispose (its pid is gone).</summary>
    static async Task RemoveStaleAsync()
    {
        var (_, list) = await RunAsync("ip", ["netns", "list"]);
        foreach (Match m in StaleName().Matches(list))
        {
            int pid = int.Parse(m.Groups[1].Value);
            if (pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}")) await ScriptAsync("down", "--name", $"{Prefix}{pid}");
        }
    }

    [GeneratedRegex(@"^smmut(\d+)-r\b", RegexOptions.Multiline)]
    private static partial Regex StaleName();

    static Task<(int Exit, string Output)> ScriptAsync(params string[] args) =>
        RunAsync("bash", [Path.Combine(TestPaths.RepoRoot, "scripts", "netns-cluster.sh"), .. args]);

    /// <summary>Runs a command to its end (killed after <see cref="ScriptTimeout"/>): exit code, and stdout then stderr.</summary>
    static async Task<(int Exit, string Output)> RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, $"{file} could not be started: {e.Message}");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(ScriptTimeout);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                return (124, $"{file} {string.Join(' ', args)} took longer than {ScriptTimeout.TotalSeconds} s");
            }
            return (process.ExitCode, (await output + await errors).Trim());
        }
    }
}

/// <summary>A silo process run inside a network namespace (`ip netns exec NS dotnet SmmuActors.Silo.dll ...`; ip execs dotnet, so the pid is the silo's).</summary>
public sealed class NetnsSilo : IDisposable
{
    readonly Process _process;
    readonly List<string> _output = [];
    readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly string _readyLine;

    /// <summary>IP:PORT the silo listens on for other silos, as it printed when ready.</summary>
    public string SiloEndpoint { get; private set; } = "";

    public Task Ready => _ready.Task;

    NetnsSilo(int instance, Process process)
    {
        _readyLine = $"silo {instance} ready: silo ";
        _process = process;
    }

    public static NetnsSilo Start(string ns, int instance, string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["netns", "exec", ns, "dotnet", GrainSiloProcess.BuiltDll("silo", "SmmuActors.Silo.dll"), .. args])
            info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var silo = new NetnsSilo(instance, process);
        process.OutputDataReceived += (_, e) => silo.Seen(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Seen(e.Data);
        process.Exited += (_, _) => silo._ready.TrySetException(new InvalidOperationException($"silo {instance} in {ns} exited before it was ready:\n{silo.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    void Seen(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        if (!line.StartsWith(_readyLine)) return;
        SiloEndpoint = line[_readyLine.Length..].Split(',')[0];
        _ready.TrySetResult();
    }

    /// <summary>Everything the silo printed so far, for a failure message.</summary>
    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
