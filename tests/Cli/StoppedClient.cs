using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using SmmuActors.Client.Engines;
using SmmuActors.Tests.Support;

namespace SmmuActors.Tests.Cli;

/// <summary>
/// The built client as its own process, stopped by a signal as a user's Ctrl+C or a service manager's SIGTERM
/// would: started, given time to get going, signalled, and timed from the signal to its exit.
/// </summary>
public sealed class StoppedClient : IDisposable
{
    public const int SigInt = 2, SigTerm = 15;

    readonly Process _process;
    readonly StringBuilder _out = new(), _err = new();
    readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _working = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// How long the client may take to say its work began: a bench on two cores beside other suites took 76 s to reach its
    /// line once (30-36 s as a rule), and a whole-machine load of 30 stretches any start.
    /// </summary>
    static readonly TimeSpan StartBudget = TimeSpan.FromSeconds(180);
    readonly string _workingWhen;
    readonly int? _signalWhenWorking;
    readonly TimeSpan _signalAfter;
    Thread? _errors;

    StoppedClient(Process process, string workingWhen, int? signalWhenWorking, TimeSpan signalAfter)
    {
        _process = process;
        _workingWhen = workingWhen;
        _signalWhenWorking = signalWhenWorking;
        _signalAfter = signalAfter;
    }

    public string Output { get { lock (_out) return _out.ToString(); } }
    public string Errors { get { lock (_err) return _err.ToString(); } }
    public int ExitCode => _process.ExitCode;
    public int Pid => _process.Id;

    /// <summary>Starts `smmu-actors ARGS` from the repository root; <paramref name="workingWhen"/> is a stderr line that says the work began.</summary>
    public static StoppedClient Start(string workingWhen, IDictionary<string, string>? environment, params string[] args) =>
        Start(workingWhen, null, TimeSpan.Zero, environment, args);

    /// <summary>
    /// Starts `smmu-actors ARGS` and sends <paramref name="signal"/> the moment it writes <paramref name="workingWhen"/>,
    /// from the thread that reads its stderr: for a stage too short to wait for on this process's thread pool, which
    /// tests running beside this one may keep busy.
    /// </summary>
    public static StoppedClient StartSignalledWhenWorking(string workingWhen, int signal, params string[] args) =>
        Start(workingWhen, signal, TimeSpan.Zero, null, args);

    /// <summary>
    /// As <see cref="StartSignalledWhenWorking(string, int, string[])"/>, the signal sent <paramref name="after"/> the line, timed
    /// on the thread that read it: some of the work is done by then, however busy this process's thread pool is.
    /// </summary>
    public static StoppedClient StartSignalledWhenWorking(string workingWhen, int signal, TimeSpan after, params string[] args) =>
        Start(workingWhen, signal, after, null, args);

    static StoppedClient Start(string workingWhen, int? signalWhenWorking, TimeSpan signalAfter, IDictionary<string, string>? environment, string[] args)
    {
        // Through env(1), which gives the client SIGINT's default handling: a shell ignores SIGINT in the jobs it starts in
        // the background, every child inherits that, and the runtime then leaves Ctrl+C ignored, as a background job's is.
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestPaths.RepoRoot };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(GrainSiloProcess.BuiltDll("client", "smmu-actors.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var client = new StoppedClient(Process.Start(info)!, workingWhen, signalWhenWorking, signalAfter);
        client._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (client._out) client._out.AppendLine(e.Data); };
        client._process.BeginOutputReadLine();
        // Its own thread, not the pool's: the line that says the work began is seen as soon as it is written.
        client._errors = new Thread(() =>
        {
            try
            {
                while (client._process.StandardError.ReadLine() is { } line) client.SeenError(line);
            }
            catch (Exception e) when (e is ObjectDisposedException or IOException)
            {
                // Disposed while reading (a test that failed early): nothing more to read.
            }
        }) { IsBackground = true };
        client._errors.Start();
        return client;
    }

    void SeenError(string line)
    {
        lock (_err) _err.AppendLine(line);
        if (!line.Contains(_workingWhen) || _seen.Task.IsCompleted) return;
        // Seen before the wait for the signal: a budget that ran out during that wait took a line that came for one never written.
        _seen.TrySetResult();
        if (_signalWhenWorking is { } signal)
        {
            if (_signalAfter > TimeSpan.Zero) Thread.Sleep(_signalAfter);
            SendSignal(_process.Id, signal);
        }
        _working.TrySetResult();
    }

    /// <summary>Waits until the work has begun and then <paramref name="more"/>, so some of it is done when the signal comes.</summary>
    public async Task WorkingAsync(TimeSpan more)
    {
        await StartedAsync();
        Assert.False(_process.HasExited, $"ended before it was signalled:\n{Output}\n{Errors}");
        await Task.Delay(more);
    }

    /// <summary>
    /// For a client started with <see cref="StartSignalledWhenWorking"/>: waits until the work began (and so the signal was
    /// sent), then for the exit, failing past <paramref name="bound"/>.
    /// </summary>
    public async Task SignalledExitAsync(TimeSpan bound)
    {
        if (_signalWhenWorking is null) throw new InvalidOperationException("started without a signal to send");
        await StartedAsync();
        await ExitedAsync(bound);
    }

    /// <summary>Until the client said its work began (and, if it is to be signalled then, was), failing with its output past <see cref="StartBudget"/>.</summary>
    async Task StartedAsync()
    {
        try
        {
            await _seen.Task.WaitAsync(StartBudget);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"never wrote '{_workingWhen}' within {StartBudget.TotalSeconds:0} s:\n{Output}\n{Errors}");
        }
        await _working.Task;
    }

    public void Signal(int signal) =>
        Assert.True(SendSignal(_process.Id, signal) == 0, $"no process to signal (exited {(_process.HasExited ? _process.ExitCode.ToString() : "?")}):\n{Output}\n{Errors}");

    /// <summary>Sends <paramref name="signal"/> and returns how long the process took to exit (failing past <paramref name="bound"/>).</summary>
    public async Task<TimeSpan> StopAsync(int signal, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        Signal(signal);
        await ExitedAsync(bound);
        return clock.Elapsed;
    }

    public async Task ExitedAsync(TimeSpan bound)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"still running {bound.TotalSeconds:0} s after the signal:\n{Output}\n{Errors}");
        }
        // Exit reports no more output events: wait for the last lines.
        _process.WaitForExit();
        _errors?.Join();
    }

    public override string ToString() => $"exit {(_process.HasExited ? _process.ExitCode : "none")}\n{Output}\n{Errors}";

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _errors?.Join(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);
}
