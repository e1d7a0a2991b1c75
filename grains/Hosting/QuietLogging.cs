using SmmuActors.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// Orleans at warning and above, minus the warnings it logs on every healthy start on this kind of
/// machine (workstation GC, a start-up watchdog stall), so what remains on the console means something;
/// Orleans' reports of a lost peer in a log file instead of on the console; and nothing at all while
/// <c>muted</c> says so.
/// </summary>
public static class QuietLogging
{
    static readonly string[] Noisy =
    [
        "Orleans.Runtime.Silo",
        "Orleans.Runtime.Watchdog",
        "Orleans.Runtime.Messaging.NetworkingTrace",
    ];

    /// <summary>
    /// After a silo is killed, every peer logs a warning with its stack trace for each refused connection, failed probe and
    /// call to it, for as long as the membership takes to declare it dead: dozens of lines of several kilobytes over the
    /// console and the client's progress line, for a loss the campaign's own warnings already report (batches re-run).
    /// A rule's category is a prefix: "Connection" takes in "ConnectionManager".
    /// </summary>
    static readonly string[] LostPeer =
    [
        "Orleans.Runtime.Messaging.Connection",
        "Orleans.Runtime.MembershipService.SiloHealthMonitor",
        "Orleans.Runtime.CallbackData",
        "Orleans.Messaging.GatewayManager",
        // Orleans' placement retries a call to a silo that stopped answering through a Polly pipeline, which logs each
        // attempt with its stack trace (a warning of over 2 KB, twice per retry, or an error) under the category "Polly".
        "Polly",
        // A silo that joins a cluster whose silos were all killed finds them still listed as active until it declares
        // them dead (about 30 s): it probes them, gossips to them, asks them for their manifests and hands them directory
        // ranges, and warns of each failure with a stack trace, some 120 lines. Its errors that it cannot reach them stay
        // on the console, one line each per attempt, naming them and until when it keeps trying: all a user needs. The
        // table manager's warnings that their heartbeats are stale say no more, twice per read of the table, every second
        // or two (and that its own new row replaced its old one); its errors, a table it cannot read or write, stay.
        "Orleans.Runtime.MembershipService.MembershipAgent",
        "Orleans.Runtime.MembershipService.MembershipTableManager",
        "Orleans.Runtime.MembershipService.MembershipSystemTarget",
        "Orleans.Runtime.Metadata.ClusterManifestProvider",
        "Orleans.Runtime.GrainDirectory.GrainDirectoryHandoffManager",
        "Orleans.Runtime.GrainDirectory.ClientDirectory",
        // A message to a silo that was declared dead while it waited to be sent is dropped with a warning (event 101016,
        // Messaging_OutgoingMS_DroppingMessage), and the cancellation of calls to it fails with an error and its stack
        // trace: both seen on the survivor's console a few seconds after a kill, in one run of several.
        "Orleans.Messaging",
        "Orleans.Runtime.GrainCallCancellationManager",
    ];

    /// <summary>
    /// Of <see cref="LostPeer"/>, the categories whose errors go to the file only: the client directory logs its failure to
    /// publish the routing table to a peer that is gone as an error, with its stack trace, once per peer and attempt, the
    /// cancellation manager its failure to pass a cancellation on to one, and Polly each failed attempt of a retry whose
    /// outcome Orleans reports itself.
    /// </summary>
    static readonly string[] LostPeerErrors = ["Orleans.Runtime.GrainDirectory.ClientDirectory", "Orleans.Runtime.GrainCallCancellationManager", "Polly"];

    /// <summary>The file a process's lost-peer warnings go to: <paramref name="name"/> and its process id, in the temp directory.</summary>
    public static string LogPath(string name) => Path.Combine(Path.GetTempPath(), "smmu-actors", $"{name}-{Environment.ProcessId}.log");

    /// <summary>
    /// <paramref name="name"/> names the lost-peer log (<see cref="LogPath"/>); <paramref name="announce"/> says, once, where
    /// it is, as the first warning is written there.
    /// </summary>
    public static ILoggingBuilder Quiet(this ILoggingBuilder logging, string name, Action<string> announce, Func<bool>? muted = null)
    {
        // Levels in the rules keep Orleans' frequent debug and trace checks a comparison; only what would be written asks muted.
        Func<string?, string?, LogLevel, bool>? unmuted = muted is null ? null : (_, _, _) => !muted();
        logging.Services.Configure<LoggerFilterOptions>(o =>
        {
            o.Rules.Add(new LoggerFilterRule(null, null, LogLevel.Warning, unmuted));
            foreach (var category in Noisy) o.Rules.Add(new LoggerFilterRule(null, category, LogLevel.Error, unmuted));
            // Errors of these categories stay on the console too, but for LostPeerErrors: they are not the expected noise of a lost peer.
            foreach (var category in LostPeer)
                o.Rules.Add(new LoggerFilterRule("Console", category, LostPeerErrors.Contains(category) ? LogLevel.None : LogLevel.Error, unmuted));
        });
        logging.AddProvider(new LostPeerLog(LogPath(name), announce));
        return logging;
    }

    /// <summary>Writes the <see cref="LostPeer"/> categories to a file, created at their first warning, not before.</summary>
    sealed class LostPeerLog(string path, Action<string> announce) : ILoggerProvider
    {
        /// <summary>
        /// The logs this process has named: a client that tries a Redis cluster's join again builds a host each time, and
        /// each named the same file (three times over a 30 s wait).
        /// </summary>
        static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Named = new();

        readonly Lock _gate = new();
        TextWriter? _file;

        public ILogger CreateLogger(string category) =>
            LostPeer.Any(c => category.StartsWith(c, StringComparison.Ordinal)) ? new FileLogger(this, category) : NullLogger.Instance;

        void Write(string text)
        {
            lock (_gate)
            {
                if (_file is null)
                {
                    try
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        _file = new StreamWriter(path, append: true) { AutoFlush = true };
                        if (Named.TryAdd(path, true)) announce($"Orleans' warnings about lost connections are logged to {path}");
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // Better on the console than nowhere.
                        _file = Console.Error;
                        announce($"Orleans' warnings about lost connections follow on stderr: {path} could not be written ({e.Message})");
                    }
                }
                _file.WriteLine(text);
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_file != Console.Error) _file?.Dispose();
                // A peer lost while the host stops may still be logged: past the end, into nothing, rather than a throw.
                _file = TextWriter.Null;
            }
        }

        sealed class FileLogger(LostPeerLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel level) => level != LogLevel.None;

            public void Log<TState>(LogLevel level, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Write($"{DateTime.UtcNow:O} {level} {category}[{id.Id}] {formatter(state, exception)}{(exception is null ? "" : $"{Environment.NewLine}{exception}")}");
        }
    }
}
