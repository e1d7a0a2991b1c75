using System.Runtime.InteropServices;

namespace SmmuActors.Client;

/// <summary>
/// Ctrl+C and SIGTERM as the command sees them: the first cancels <see cref="Token"/>, so the command
/// stops its engine and prints what it has (exit 3); a second one exits at once, with the
/// conventional 128 + signal code, for a user who will not wait even for that. The same signal again within
/// <see cref="Echo"/> of the first is that stop sent twice, not a second one: `timeout` signals both the command and
/// its process group, and `dotnet run` passes on a signal its group also got.
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
            foreach (var note in Notes.Values) _err.WriteLine(note);
            _err.WriteLine("stopped at once");
            // Environment.Exit, not the signal's default: the runtime's default for SIGTERM waits for a graceful exit.
            Environment.Exit(128 + (context.Signal == PosixSignal.SIGINT ? 2 : 15));
        }
        _err.WriteLine("stopping: ending with what is done so far (Ctrl+C again to quit at once)");
        // On a thread of its own, so this handler returns at once and a second signal is seen. Not CancelAsync: it runs
        // the callbacks (the command's linked token among them) on the thread pool, which need not have a free thread:
        // while a local campaign's workers were pool threads, a campaign stopped 2 s in went on for 8 s more.
        new Thread(_stop.Cancel) { IsBackground = true, Name = "stop" }.Start();
    }

    /// <summary>
    /// Ends the handling of signals. The token source is left undisposed: a signal that came just before may still be
    /// cancelling it on its own thread, and it holds no timer or wait handle.
    /// </summary>
    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
