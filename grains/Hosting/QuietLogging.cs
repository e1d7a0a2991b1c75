using SmmuActors.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// Orleans at warning and above, minus the warnings it logs on every healthy start on this kind of
/// machine (workstation GC, a start-up watchdog stall), so what remains on the console means something;
/// and nothing at all while <c>muted</c> says so.
/// </summary>
public static class QuietLogging
{
    static readonly string[] Noisy =
    [
        "Orleans.Runtime.Silo",
        "Orleans.Runtime.Watchdog",
        "Orleans.Runtime.Messaging.NetworkingTrace",
    ];

    public static ILoggingBuilder Quiet(this ILoggingBuilder logging, Func<bool>? muted = null)
    {
        // Levels in the rules keep Orleans' frequent debug and trace checks a comparison; only what would be written asks muted.
        Func<string?, string?, LogLevel, bool>? unmuted = muted is null ? null : (_, _, _) => !muted();
        logging.Services.Configure<LoggerFilterOptions>(o =>
        {
            o.Rules.Add(new LoggerFilterRule(null, null, LogLevel.Warning, unmuted));
            foreach (var category in Noisy) o.Rules.Add(new LoggerFilterRule(null, category, LogLevel.Error, unmuted));
        });
        return logging;
    }
}
