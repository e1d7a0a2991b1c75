using System.Diagnostics;
using System.Text.Json;

namespace SmmuActors.Client.Commands;

/// <summary>
/// `bench --fresh`: one preset's search as a user runs it, `explore` in a process of its own. The figures are that
/// process's wall time from its start to its exit (the runtime's start-up, the JIT, the search, its witnesses and output),
/// and the processor time and peak resident memory it reports in its JSON (<see cref="ProcessFootprint"/>).
/// </summary>
static class OwnProcessSearch
{
    public sealed record Result(long Runs, long States, bool Exhausted, string? IncompleteReason, bool FirstViolation, double WallSeconds, double CpuSeconds,
        long PeakMiB, string[] Violations);

    public static async Task<Result> RunAsync(string workloadPath, string preset, string[] overrides, int workers, bool firstViolation, bool stopAtFirst,
        CancellationToken cancel)
    {
        var dir = Directory.CreateTempSubdirectory("smmu-actors-bench-");
        try
        {
            string json = Path.Combine(dir.FullName, "explore.json");
            // This command's own executable: the installed tool's host, or `dotnet` with this assembly (dotnet run, tests).
            string host = Environment.ProcessPath ?? throw new InvalidOperationException("this process's executable is unknown");
            var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(host) == "dotnet") info.ArgumentList.Add(typeof(OwnProcessSearch).Assembly.Location);
            string[] args = ["explore", "--engine", "local", "--variant", preset, "--workload", workloadPath, "--strategy", "exhaustive", "--workers", workers.ToString(),
                "--json", json, "--out", dir.FullName, .. overrides.SelectMany(o => new[] { "--set", o }),
                .. firstViolation ? ["--first-violation"] : Array.Empty<string>(), .. stopAtFirst ? ["--stop-at-first"] : Array.Empty<string>()];
            foreach (var a in args) info.ArgumentList.Add(a);
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {host}");
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(cancel);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            double wall = clock.Elapsed.TotalSeconds;
            await Task.WhenAll(output, errors);
            // 0 clean, 1 violated, 3 incomplete: a verdict; anything else is no figure.
            if (process.ExitCode is not (0 or 1 or 3))
                throw new InvalidOperationException($"explore --variant {preset} exited {process.ExitCode}: {errors.Result.Trim()}");
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json, cancel));
            var r = doc.RootElement;
            var footprint = r.GetProperty("process");
            return new Result(r.GetProperty("finalStates").GetInt64(), r.GetProperty("statesExplored").GetInt64(), r.GetProperty("exhausted").GetBoolean(),
                r.TryGetProperty("incompleteReason", out var why) ? why.GetString() : null, r.GetProperty("firstViolation").GetBoolean(), wall, footprint.GetProperty("cpuSeconds").GetDouble(),
                footprint.GetProperty("peakResidentMiB").GetInt64(), r.GetProperty("violationsByKind").EnumerateObject().Select(k => k.Name)
                    .Order(StringComparer.Ordinal).ToArray());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
