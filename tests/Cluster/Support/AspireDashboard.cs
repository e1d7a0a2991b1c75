using System.Diagnostics;
using System.Net;
using SmmuActors.Grains.Hosting;

namespace SmmuActors.Tests.Support;

/// <summary>
/// The standalone .NET Aspire dashboard (the package the test project downloads), on free loopback ports:
/// an OTLP/gRPC endpoint to send traces to and the dashboard's telemetry API to read them back. Anonymous
/// access is fine only because it listens on loopback and lives as long as the test.
/// </summary>
public sealed class AspireDashboard : IDisposable
{
    const string Package = "aspire.dashboard.sdk.linux-x64";
    const string Version = "13.6.5";

    readonly Process _process;

    public int HttpPort { get; }
    public int OtlpPort { get; }
    public string OtlpEndpoint => $"http://127.0.0.1:{OtlpPort}";
    public HttpClient Api { get; }

    AspireDashboard(Process process, int httpPort, int otlpPort)
    {
        _process = process;
        HttpPort = httpPort;
        OtlpPort = otlpPort;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public static async Task<AspireDashboard> StartAsync(CancellationToken cancel)
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                          ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string binary = Path.Combine(packages, Package, Version, "tools", "Aspire.Dashboard");
        if (!File.Exists(binary)) throw new FileNotFoundException($"the Aspire dashboard is not downloaded; restore tests/Cluster (it has a PackageDownload of {Package} {Version})", binary);
        int http = FreePort.On(IPAddress.Loopback), otlp = FreePort.On(IPAddress.Loopback);
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{http}";
        info.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlp}";
        info.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var dashboard = new AspireDashboard(process, http, otlp);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var r = await dashboard.Api.GetAsync("/api/telemetry/resources", cancel);
                if (r.IsSuccessStatusCode) return dashboard;
            }
            catch (HttpRequestException) when (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(30)) { }
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                dashboard.Dispose();
                throw new InvalidOperationException("the Aspire dashboard did not answer within 30 s");
            }
            await Task.Delay(100, cancel);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        Api.Dispose();
    }
}
