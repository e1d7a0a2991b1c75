using SmmuActors.Contracts;
using Microsoft.Extensions.Logging;

namespace SmmuActors.Grains.Hosting;

/// <summary>
/// Orleans at warning and above, minus the warnings it logs on every healthy start on this kind of
/// machine (workstation GC, a start-up watchdog stall), so what remains on the console means something.
/// </summary>
public static class QuietLogging
{
    static readonly string[] Noisy =
    [
        "Orleans.Runtime.Silo",
        "Orleans.Runtime.Watchdog",
        "Orleans.Runtime.Messaging.NetworkingTrace",
    ];

    public static ILoggingBuilder Quiet(this ILoggingBuilder logging)
    {
        logging.SetMinimumLevel(LogLevel.Warning);
        foreach (var category in Noisy) logging.AddFilter(category, LogLevel.Error);
        return logging;
    }
}
