using System.Runtime.InteropServices;

namespace SmmuActors.Client;

/// <summary>
/// Ctrl+C and SIGTERM as the command sees them: the first cancels <see cref="Token"/>, so the command
/// stops its engine and prints what it has (exit 3); a second one exits at once, with the
/// conventional 128 + signal code, for a user who will not wait even for that. The same signal again within
/// <see cref="Echo"/> of the first is that stop sent twice, not a second one: `timeout` signals both the command and
/// its process group, and `dotnet run` passes on a signal its group also got. A stop still under way
/// <see cref="Overdue"/> after the first signal exits as a second one would: the command is blocked where no token
/// reaches (opening a FIFO nobody writes, writing to a pipe nobody reads), and one SIGTERM, all that `timeout`,
/// CI and service managers send, left it running for good.
/// </summary>
public sealed class StopSignals : IDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly TextWriter _err;
    readonly PosixSignalRegistration[] _registrations;
    // The first signal and when it came (a timestamp, 0 before), taken together: a second handler that read the time
    // before the first wrote the signal took an echo of the first for a second stop.
    readonly Lock _gate = new();
    long _first;
    PosixSignal _firstSignal;

    /// <summary>How soon after the first the same signal is taken for that one sent twice: well under a person's second press.</summary>
    public static readonly TimeSpan Echo = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// How long a stop may take before it is ended at once: past the longest a stop waits by design (a cluster campaign's:
    /// 5 s for its cancel, polls to 5 s after that began plus one more, 5 s for closing it; <c>GrainCampaignRunner.StopAsync</c>).
    /// </summary>
    public static readonly TimeSpan Overdue = TimeSpan.FromSeconds(20);

    // Set once the command has returned: what the process does after it (the runtime's own shutdown) is not a stop's.
    volatile bool _disposed;

    public StopSignals(TextWriter err)
    {
        _err = err;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Token => _stop.Token;

    static readonly System.Collections.Concurrent.ConcurrentDictionary<object, string> Notes = new();

    /// <summary>
    /// What an exit at once would leave behind (a campaign running on a cluster), said then; disposed when it no longer
    /// holds.
    /// </summary>
    public static IDisposable Note(string text)
    {
        var key = new object();
        Notes[key] = text;
        return new Unnote(key);
    }

    sealed class Unnote(object key) : IDisposable
    {
        public void Dispose() => Notes.TryRemove(key, out _);
    }

    /// <summary>Whether <paramref name="signal"/> at timestamp <paramref name="at"/> is the first stop, <paramref name="first"/> at <paramref name="firstAt"/>, sent twice.</summary>
    public static bool IsEcho(PosixSignal first, long firstAt, PosixSignal signal, long at) =>
        signal == first && System.Diagnostics.Stopwatch.GetElapsedTime(firstAt, at) < Echo;

    void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        long first;
        PosixSignal firstSignal;
        lock (_gate)
        {
            (first, firstSignal) = (_first, _firstSignal);
            if (first == 0) (_first, _firstSignal) = (now, context.Signal);
        }
        if (first != 0)
        {
            if (IsEcho(firstSignal, first, context.Signal, now)) return;
            ExitAtOnce("stopped at once", context.Signal);
        }
        _err.WriteLine("stopping: ending with what is done so far (Ctrl+C again to quit at once)");
        var signal = context.Signal;
        // On a thread of its own, so this handler returns at once and a second signal is seen. Not CancelAsync: it runs
        // the callbacks (the command's linked token among them) on the thread pool, which need not have a free thread:
        // while a local campaign's workers were pool threads, a campaign stopped 2 s in went on for 8 s more.
        new Thread(_stop.Cancel) { IsBackground = true, Name = "stop" }.Start();
        // Background, so a stop that ends in time ends the process and this with it; apart from the cancel, which a
        // callback could hold.
        new Thread(() =>
        {
            Thread.Sleep(Overdue);
            if (_disposed) return;
            ExitAtOnce($"still stopping after {Overdue.TotalSeconds:0} s (blocked on a pipe or a device nobody serves?): stopped at once", signal);
        }) { IsBackground = true, Name = "stop overdue" }.Start();
    }

    /// <summary>Says what an exit now leaves behind, then exits with the conventional 128 + <paramref name="signal"/>'s code.</summary>
    void ExitAtOnce(string why, PosixSignal signal)
    {
        foreach (var note in Notes.Values) _err.WriteLine(note);
        _err.WriteLine(why);
        // Environment.Exit, not the signal's default: the runtime's default for SIGTERM waits for a graceful exit.
        Environment.Exit(128 + (signal == PosixSignal.SIGINT ? 2 : 15));
    }

    /// <summary>
    /// Ends the handling of signals. The token source is left undisposed: a signal that came just before may still be
    /// cancelling it on its own thread, and it holds no timer or wait handle.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var r in _registrations) r.Dispose();
    }
}
