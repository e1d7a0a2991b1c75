namespace SmmuActors.Client.Commands;

/// <summary>
/// The .NET collector sizes its youngest generation from the last-level cache size, which on Linux it reads from
/// sysfs. A machine that does not show it there (no <c>/sys/devices/system/cpu/cpu0/cache</c>, as on some VMs) leaves
/// gen0 a budget of a few megabytes, and a search or a campaign then collects some thirty times as often (docs/performance.md,
/// "The collector's gen0 budget"). The runtime takes a floor for that budget only from its environment, never from runtimeconfig.json,
/// so the benchmarks say when their figures are taken that way, and how to set it.
/// </summary>
public static class Gen0Budget
{
    public const string Variable = "DOTNET_GCgen0size";
    public const string Suggested = "0x4000000";
    const string CacheDirectory = "/sys/devices/system/cpu/cpu0/cache";

    /// <summary>The variables the runtime reads that settle the budget: a floor (either prefix), or sysconf as the cache size's source.</summary>
    public static readonly IReadOnlyList<string> SettledBy =
        [Variable, "COMPlus_GCgen0size", "DOTNET_GCCacheSizeFromSysConf", "COMPlus_GCCacheSizeFromSysConf"];

    /// <summary>The warning for this process, or null when the collector can size gen0 itself or was told how.</summary>
    public static string? Warning() =>
        Warning(OperatingSystem.IsLinux(), Directory.Exists(CacheDirectory), Environment.GetEnvironmentVariable);

    /// <param name="linux">Only Linux reads the cache size from sysfs.</param>
    /// <param name="cacheShown">The sysfs cache directory exists.</param>
    /// <param name="environment">Reads an environment variable: a floor for the budget (either prefix the runtime reads), or sysconf as the cache size's source, settles it.</param>
    public static string? Warning(bool linux, bool cacheShown, Func<string, string?> environment)
    {
        if (!linux || cacheShown) return null;
        if (SettledBy.Any(v => !string.IsNullOrEmpty(environment(v)))) return null;
        return $"note: this machine does not show its cache sizes ({CacheDirectory} is missing), so .NET gives gen0 a budget of a few MB "
            + $"and collects about 30 times as often; set {Variable}={Suggested} (64 MB) in the environment before measuring";
    }
}
